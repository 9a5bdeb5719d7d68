import FuzzHarness

#if FUZZING
    /// libFuzzer entry point (built by Tests/Fuzz/run.sh float): each input is one number string,
    /// parsed by DecimalParser (FastFloat) and by strtod; any difference traps.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        FuzzNumbers.fuzz(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
#else
    import Foundation
    import ModelZoo

    /// Without libFuzzer: `FuzzFloat --random N [--seed S]` compares N random hard strings
    /// (FuzzNumbers.random) with strtod and prints the count, time and any mismatch (exit 1);
    /// `FuzzFloat --format N` compares ShortestDouble with Double.description on N random doubles;
    /// `FuzzFloat FILE...` replays files as single inputs.
    @main
    struct FuzzFloatMain {
        static func main() {
            let args = Array(CommandLine.arguments.dropFirst())
            if let k = args.firstIndex(of: "--random"), k + 1 < args.count, let n = Int(args[k + 1]) {
                var seed: UInt64 = 16
                if let j = args.firstIndex(of: "--seed"), j + 1 < args.count, let s = UInt64(args[j + 1]) { seed = s }
                let t0 = Date()
                let bad = FuzzNumbers.check(count: n, seed: seed, limit: 20)
                let dt = Date().timeIntervalSince(t0)
                for m in bad { print("MISMATCH \(m)") }
                print(
                    "\(n) random strings, seed \(seed): \(bad.isEmpty ? "all bit-identical to strtod" : "\(bad.count) mismatches") in \(String(format: "%.1f", dt)) s"
                )
                exit(bad.isEmpty ? 0 : 1)
            }
            if let k = args.firstIndex(of: "--format"), k + 1 < args.count, let n = Int(args[k + 1]) {
                // ShortestDouble against Double.description on n random doubles (all bit patterns).
                var g = SplitMix64(seed: 16)
                var bad = 0
                let t0 = Date()
                for i in 0..<n {
                    let v = i % 4 == 0 ? Double(bitPattern: g.next()) : (g.uniform() - 0.5) * pow(10, Double(g.below(40) - 20))
                    if ShortestDouble.bytes(v) != Array(v.description.utf8) {
                        bad += 1
                        if bad <= 20 { print("MISMATCH \(v): \(String(decoding: ShortestDouble.bytes(v), as: UTF8.self))") }
                    }
                }
                print(
                    "\(n) random doubles: \(bad == 0 ? "ShortestDouble gives Double.description's bytes for all" : "\(bad) mismatches") in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s"
                )
                exit(bad == 0 ? 0 : 1)
            }
            for path in args {
                guard let d = FileManager.default.contents(atPath: path) else { continue }
                FuzzNumbers.fuzz([UInt8](d))
                print("ok \(path)")
            }
        }
    }
#endif
