/// A parsed JSON document as one flat array of nodes over the request's bytes: no allocation per
/// value (strings and numbers stay byte ranges; a number keeps its text, so it reaches the CSV
/// reader, and so the model, exactly as `zoo predict` would read the same text).
///
/// Node `i`'s children start at `i + 1`; each node's `next` is the index just past its subtree.
/// An object's children alternate key, value.
struct JSONTape {
    enum Kind: UInt8 { case object, array, string, number, bool, null }

    struct Node {
        var kind: Kind
        /// A string with backslash escapes (unescape before use); for `bool`, true.
        var flag: Bool
        /// Byte range: a string's contents without quotes, a number's text.
        var start: Int32
        var end: Int32
        /// Index just past this node's subtree.
        var next: Int32
        /// Members (object) or elements (array).
        var count: Int32
    }

    struct SyntaxError: Error, CustomStringConvertible {
        var offset: Int
        var message: String
        var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    let bytes: [UInt8]
    private(set) var nodes: [Node] = []

    static let maxDepth = 64

    /// Parses `bytes` (the whole array) as one JSON value, surrounded by optional whitespace.
    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        nodes.reserveCapacity(bytes.count / 6 + 4)
        var parser = Parser(count: bytes.count)
        try bytes.withUnsafeBufferPointer { b in
            try parser.run(b, into: &nodes)
        }
    }

    var root: Int { 0 }

    func kind(_ i: Int) -> Kind { nodes[i].kind }
    func count(_ i: Int) -> Int { Int(nodes[i].count) }

    /// The children of an array node (element indices).
    func elements(_ i: Int) -> ElementIndices { ElementIndices(tape: self, start: i + 1, count: Int(nodes[i].count)) }

    struct ElementIndices: Sequence {
        let tape: JSONTape
        let start: Int
        let count: Int
        func makeIterator() -> Iterator { Iterator(tape: tape, position: start, left: count) }
        struct Iterator: IteratorProtocol {
            let tape: JSONTape
            var position: Int
            var left: Int
            mutating func next() -> Int? {
                guard left > 0 else { return nil }
                left -= 1
                let i = position
                position = Int(tape.nodes[i].next)
                return i
            }
        }
    }

    /// (key node, value node) pairs of an object node.
    func members(_ i: Int) -> [(key: Int, value: Int)] {
        var out: [(Int, Int)] = []
        out.reserveCapacity(Int(nodes[i].count))
        var k = i + 1
        for _ in 0..<nodes[i].count {
            let v = Int(nodes[k].next)
            out.append((k, v))
            k = Int(nodes[v].next)
        }
        return out
    }

    /// The value of member `name` of an object node, nil when absent (the last one when repeated).
    func member(_ i: Int, _ name: String) -> Int? {
        guard nodes[i].kind == .object else { return nil }
        var found: Int?
        var k = i + 1
        for _ in 0..<nodes[i].count {
            let v = Int(nodes[k].next)
            if stringEquals(k, name) { found = v }
            k = Int(nodes[v].next)
        }
        return found
    }

    /// True when string node `i` equals `s` (unescaped).
    func stringEquals(_ i: Int, _ s: String) -> Bool {
        let n = nodes[i]
        guard n.kind == .string else { return false }
        if n.flag { return string(i) == s }
        var u = s.utf8.makeIterator()
        for p in Int(n.start)..<Int(n.end) {
            guard let c = u.next(), c == bytes[p] else { return false }
        }
        return u.next() == nil
    }

    /// A string node's value, unescaped.
    func string(_ i: Int) -> String {
        var out: [UInt8] = []
        appendUnescaped(i, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends string node `i`'s unescaped UTF-8 bytes.
    func appendUnescaped(_ i: Int, to out: inout [UInt8]) {
        let n = nodes[i]
        let s = Int(n.start), e = Int(n.end)
        if !n.flag { out.append(contentsOf: bytes[s..<e]); return }
        var p = s
        while p < e {
            let c = bytes[p]
            if c != UInt8(ascii: "\\") { out.append(c); p += 1; continue }
            let esc = bytes[p + 1]
            p += 2
            switch esc {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "u"):
                var code = hex4(p)
                p += 4
                if code >= 0xD800 && code < 0xDC00, p + 6 <= e, bytes[p] == UInt8(ascii: "\\"), bytes[p + 1] == UInt8(ascii: "u") {
                    let low = hex4(p + 2)
                    if low >= 0xDC00 && low < 0xE000 {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        p += 6
                    }
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(scalar).utf8))
            default: out.append(esc)  // " \ /
            }
        }
    }

    private func hex4(_ p: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[p + k]
            let d: UInt8 = c >= 97 ? c - 87 : (c >= 65 ? c - 55 : c - 48)
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// A number node's text bytes.
    func numberBytes(_ i: Int) -> ArraySlice<UInt8> { bytes[Int(nodes[i].start)..<Int(nodes[i].end)] }

    /// A number node as an integer, nil when it is not one (fraction, exponent, out of range).
    func int(_ i: Int) -> Int? {
        guard nodes[i].kind == .number else { return nil }
        return Int(String(decoding: numberBytes(i), as: UTF8.self))
    }

    /// A number node as a double.
    func double(_ i: Int) -> Double? {
        guard nodes[i].kind == .number else { return nil }
        return Double(String(decoding: numberBytes(i), as: UTF8.self))
    }

    func bool(_ i: Int) -> Bool? { nodes[i].kind == .bool ? nodes[i].flag : nil }

    /// A short description of a node's type, for error messages.
    func typeName(_ i: Int) -> String {
        switch nodes[i].kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    private struct Parser {
        let count: Int
        var p = 0

        init(count: Int) { self.count = count }

        mutating func run(_ b: UnsafeBufferPointer<UInt8>, into nodes: inout [Node]) throws {
            skipSpace(b)
            try value(b, &nodes, depth: 0)
            skipSpace(b)
            if p != count { throw SyntaxError(offset: p, message: "unexpected text after the value") }
        }

        @inline(__always) mutating func skipSpace(_ b: UnsafeBufferPointer<UInt8>) {
            while p < count {
                let c = b[p]
                if c == 32 || c == 10 || c == 13 || c == 9 { p += 1 } else { break }
            }
        }

        mutating func value(_ b: UnsafeBufferPointer<UInt8>, _ nodes: inout [Node], depth: Int) throws {
            guard p < count else { throw SyntaxError(offset: p, message: "unexpected end of input") }
            let c = b[p]
            switch c {
            case UInt8(ascii: "{"): try container(b, &nodes, kind: .object, depth: depth)
            case UInt8(ascii: "["): try container(b, &nodes, kind: .array, depth: depth)
            case UInt8(ascii: "\""):
                try string(b, &nodes)
            case UInt8(ascii: "t"): try literal(b, &nodes, "true", .bool, true)
            case UInt8(ascii: "f"): try literal(b, &nodes, "false", .bool, false)
            case UInt8(ascii: "n"): try literal(b, &nodes, "null", .null, false)
            default:
                try number(b, &nodes)
            }
        }

        /// An object or an array, up to its closing bracket: each member (an object's after its
        /// name) is a value one level deeper.
        mutating func container(_ b: UnsafeBufferPointer<UInt8>, _ nodes: inout [Node], kind: Kind, depth: Int) throws {
            guard depth < JSONTape.maxDepth else { throw SyntaxError(offset: p, message: "nested deeper than \(JSONTape.maxDepth)") }
            let isObject = kind == .object, close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let me = nodes.count
            nodes.append(Node(kind: kind, flag: false, start: Int32(p), end: 0, next: 0, count: 0))
            p += 1
            skipSpace(b)
            var n: Int32 = 0
            if p < count && b[p] == close {
                p += 1
            } else {
                while true {
                    skipSpace(b)
                    if isObject { try memberName(b, &nodes) }
                    try value(b, &nodes, depth: depth + 1)
                    n += 1
                    skipSpace(b)
                    guard p < count else {
                        throw SyntaxError(offset: p, message: "unexpected end of input in \(isObject ? "an object" : "an array")")
                    }
                    if b[p] == UInt8(ascii: ",") { p += 1; continue }
                    if b[p] == close { p += 1; break }
                    throw SyntaxError(offset: p, message: isObject ? "expected ',' or '}'" : "expected ',' or ']'")
                }
            }
            nodes[me].count = n
            nodes[me].end = Int32(p)
            nodes[me].next = Int32(nodes.count)
        }

        /// An object member's name and its colon, leaving `p` at the value.
        mutating func memberName(_ b: UnsafeBufferPointer<UInt8>, _ nodes: inout [Node]) throws {
            guard p < count, b[p] == UInt8(ascii: "\"") else { throw SyntaxError(offset: p, message: "expected a member name in quotes") }
            try string(b, &nodes)
            skipSpace(b)
            guard p < count, b[p] == UInt8(ascii: ":") else { throw SyntaxError(offset: p, message: "expected ':'") }
            p += 1
            skipSpace(b)
        }

        mutating func literal(_ b: UnsafeBufferPointer<UInt8>, _ nodes: inout [Node], _ word: StaticString, _ kind: Kind, _ flag: Bool)
            throws
        {
            let n = word.utf8CodeUnitCount
            guard p + n <= count else { throw SyntaxError(offset: p, message: "unexpected end of input") }
            let w = word.utf8Start
            for k in 0..<n where b[p + k] != w[k] { throw SyntaxError(offset: p, message: "unexpected character") }
            nodes.append(Node(kind: kind, flag: flag, start: Int32(p), end: Int32(p + n), next: Int32(nodes.count + 1), count: 0))
            p += n
        }

        mutating func string(_ b: UnsafeBufferPointer<UInt8>, _ nodes: inout [Node]) throws {
            p += 1  // opening quote
            let start = p
            var escaped = false
            while true {
                guard p < count else { throw SyntaxError(offset: start - 1, message: "unterminated string") }
                let c = b[p]
                if c == UInt8(ascii: "\"") { break }
                if c < 0x20 { throw SyntaxError(offset: p, message: "control character in a string") }
                if c == UInt8(ascii: "\\") {
                    escaped = true
                    guard p + 1 < count else { throw SyntaxError(offset: p, message: "unterminated string") }
                    switch b[p + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        p += 2
                    case UInt8(ascii: "u"):
                        guard p + 6 <= count else { throw SyntaxError(offset: p, message: "bad \\u escape") }
                        for k in 2..<6 {
                            let h = b[p + k]
                            let ok = (h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102)
                            if !ok { throw SyntaxError(offset: p, message: "bad \\u escape") }
                        }
                        p += 6
                    default:
                        throw SyntaxError(offset: p, message: "bad escape")
                    }
                    continue
                }
                p += 1
            }
            nodes.append(Node(kind: .string, flag: escaped, start: Int32(start), end: Int32(p), next: Int32(nodes.count + 1), count: 0))
            p += 1  // closing quote
        }

        mutating func number(_ b: UnsafeBufferPointer<UInt8>, _ nodes: inout [Node]) throws {
            let start = p
            @inline(__always) func digits(_ p: inout Int) -> Int {
                let s = p
                while p < count, b[p] &- 48 < 10 { p += 1 }
                return p - s
            }
            if p < count, b[p] == UInt8(ascii: "-") { p += 1 }
            guard p < count else { throw SyntaxError(offset: start, message: "expected a value") }
            if b[p] == UInt8(ascii: "0") {
                p += 1
            } else if digits(&p) == 0 {
                throw SyntaxError(offset: start, message: "expected a value")
            }
            if p < count, b[p] == UInt8(ascii: ".") {
                p += 1
                guard digits(&p) > 0 else { throw SyntaxError(offset: p, message: "expected digits after '.'") }
            }
            if p < count, b[p] | 0x20 == UInt8(ascii: "e") {
                p += 1
                if p < count, b[p] == UInt8(ascii: "+") || b[p] == UInt8(ascii: "-") { p += 1 }
                guard digits(&p) > 0 else { throw SyntaxError(offset: p, message: "expected exponent digits") }
            }
            nodes.append(Node(kind: .number, flag: false, start: Int32(start), end: Int32(p), next: Int32(nodes.count + 1), count: 0))
        }
    }
}
