import Foundation
import Testing

/// How every command that reads a CSV takes its input (gzip, stdin, FIFOs) and what it says about
/// data it cannot train on: golden error texts with exit code 1.
@Suite(.serialized) struct CSVInputCLITests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func write(_ text: String, _ name: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    func generated(rows: Int = 200) throws -> String {
        let csv = path("gen.csv")
        #expect(try Zoo.run(["data", "generate", "--rows", "\(rows)", "--seed", "3", "-o", csv]).status == 0)
        return csv
    }

    func gzipped(_ file: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        p.arguments = ["-c", file]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data
    }

    func train(_ data: String, stdin: Data? = nil, _ extra: [String] = []) throws -> Zoo.Result {
        try Zoo.run(["train", "linear", "--data", data, "--target", "BMI", "--out", path("m.nnm")] + extra, stdin: stdin)
    }

    @Test func everyCommandReadsGzipByItsBytes() throws {
        let csv = try generated()
        let gz = path("data.bin")  // no .gz in the name: recognised by its bytes
        try gzipped(csv).write(to: URL(fileURLWithPath: gz))
        let t = try train(gz)
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.contains("200 rows read"))
        let c = try Zoo.run(["compare", path("m.nnm"), "--data", gz])
        #expect(c.status == 0, "\(c.stderr)")
        let r = try Zoo.run(["report", path("m.nnm"), "--data", gz, "-o", path("r.html")])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func trainReadsStandardInputAsDashDevStdinOrGzip() throws {
        let csv = try generated()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: csv))
        for (name, input) in [("-", bytes), ("/dev/stdin", bytes), ("-", try gzipped(csv)), ("/dev/stdin", try gzipped(csv))] {
            let t = try train(name, stdin: input)
            #expect(t.status == 0, "\(name): \(t.stderr)")
            #expect(t.stdout.contains("data: \(name): 200 rows read"))
        }
    }

    @Test func trainReadsAFIFO() throws {
        let csv = try generated()
        let fifo = path("fifo.csv")
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            if let h = FileHandle(forWritingAtPath: fifo) {
                h.write((try? Data(contentsOf: URL(fileURLWithPath: csv))) ?? Data())
                try? h.close()
            }
        }
        writer.start()
        let t = try train(fifo)
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.contains("200 rows read"))
    }

    @Test func aTruncatedGzipIsAnError() throws {
        let csv = try generated()
        let gz = try gzipped(csv)
        try gz.prefix(gz.count / 2).write(to: URL(fileURLWithPath: path("cut.csv.gz")))
        let t = try train(path("cut.csv.gz"))
        #expect(t.status == 1)
        #expect(t.stderr == "error: \(path("cut.csv.gz")): gzip data ends before its end marker (truncated file?)\n")
    }

    static let semicolonExport = """
        Sex;Height;Weight;BMI
        Male;176,5;80,2;25,7
        Female;165,0;60,1;22,1
        Male;180,2;90,3;27,8
        Female;160,4;55,0;21,4
        Male;170,1;75,5;26,1

        """

    @Test func decimalCommasAreAnErrorWithAHintThenReadWithDecimalComma() throws {
        let csv = try write(Self.semicolonExport, "semi.csv")
        let refused = try train(csv, ["--delimiter", ";"])
        #expect(refused.status == 1 && refused.stdout.isEmpty)
        #expect(
            refused.stderr
                == "error: line 2, column 'BMI': found '25,7', a number with a decimal comma; pass --decimal , to read decimal commas\n")
        let t = try train(csv, ["--delimiter", ";", "--decimal", ",", "--test-fraction", "0"])
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.contains("features (3 encoded): Sex [Female/Male], Height, Weight  target: BMI"))
        let p = try Zoo.run(["predict", path("m.nnm"), csv, "--delimiter", ";", "--decimal", ","])
        #expect(p.status == 0, "\(p.stderr)")
        let first = p.stdout.split(separator: "\n")[1].split(separator: ";")
        #expect(first[0...3].joined(separator: ";") == "Male;176,5;80,2;25,7" && first[4].hasPrefix("25,"))
        for command in [["compare", path("m.nnm")], ["report", path("m.nnm"), "-o", path("r.html")], ["bench", path("m.nnm")]] {
            let r = try Zoo.run(command + ["--data", csv, "--delimiter", ";", "--decimal", ","])
            #expect(r.status == 0, "\(command[0]): \(r.stderr)")
        }
    }

    @Test func decimalCommaNeedsAnotherDelimiter() throws {
        let csv = try write(Self.semicolonExport, "semi.csv")
        let r = try train(csv, ["--decimal", ","])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: --decimal , needs another field delimiter, such as --delimiter ';'\n"))
        let d = try Zoo.run(["demo", "--help"])
        #expect(d.stdout.contains("--decimal <decimal>"))
    }

    @Test func aDateColumnIsAnErrorWithAHint() throws {
        let rows = (1...30).map { "2024-01-\(String(format: "%02d", $0 % 28 + 1)),\($0),\(20 + $0 % 7)" }
        let csv = try write("Day,Age,BMI\n" + rows.joined(separator: "\n") + "\n", "dates.csv")
        let r = try train(csv)
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(
            r.stderr == "error: line 2, column 'Day': found '2024-01-02', a date; zoo reads numbers and categories: "
                + "drop the column (--features) or derive a number from it\n")
        #expect(try train(csv, ["--features", "Age"]).status == 0)
    }

    @Test func aNumericColumnWithStrayTextOrNaNNamesTheFirst() throws {
        let rows = (1...40).map { "\($0 % 9 == 0 ? "n/a" : "\($0)"),\(20 + $0 % 7)" }
        let r = try train(try write("Age,BMI\n" + rows.joined(separator: "\n") + "\n", "stray.csv"))
        #expect(r.status == 1)
        #expect(r.stderr == "error: line 10, column 'Age': expected a number, found 'n/a'\n")
        let nan = (1...40).map { "\($0 % 4 == 0 ? "NaN" : "\($0)"),\(20 + $0 % 7)" }
        let n = try train(try write("Age,BMI\n" + nan.joined(separator: "\n") + "\n", "nan.csv"))
        #expect(n.status == 1)
        #expect(n.stderr == "error: line 5, column 'Age': found 'NaN': NaN and infinity are not accepted\n")
    }

    @Test func aTextTargetTrainsAClassifier() throws {
        let r = try train(try generated(), []).status
        #expect(r == 0)
        let t = try Zoo.run(["train", "linear", "--data", path("gen.csv"), "--target", "Sex", "--out", path("s.nnm")])
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.contains("accuracy") && t.stdout.contains("log-loss"))
        let p = try Zoo.run(["predict", path("s.nnm"), path("gen.csv")])
        #expect(p.status == 0)
        #expect(p.stdout.split(separator: "\n").first?.hasSuffix(",Sex_pred,Sex_proba_Female,Sex_proba_Male") == true)
        let np = try Zoo.run(["predict", path("s.nnm"), path("gen.csv"), "--no-proba", "--threshold", "0.3"])
        #expect(np.status == 0 && np.stdout.split(separator: "\n").first?.hasSuffix(",Sex_pred") == true)
        let reg = try Zoo.run([
            "train", "linear", "--data", path("gen.csv"), "--target", "Sex", "--task", "regress", "--out", path("s2.nnm"),
        ])
        #expect(reg.status == 1)
        #expect(
            reg.stderr == "error: line 2, column 'Sex': the target column is categorical (text such as 'Male'): "
                + "--task regress needs a numeric target; leave --task out to fit a classifier\n")
    }

    /// The most classes training takes still fit a model file's header (each split's confusion
    /// matrix is classes² counts); one more is refused before any fitting.
    @Test func theMostClassesTrainAndSave() throws {
        let rows = (0..<1000).map { "\(Double($0 % 250) + Double($0) / 1000),c\($0 % 250)" }
        let data = try write("x,label\n" + rows.joined(separator: "\n") + "\n", "classes.csv")
        let r = try Zoo.run([
            "train", "neuron", "--data", data, "--target", "label", "--out", path("c250.nnm"), "--quiet", "-p", "epochs=1",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let p = try Zoo.run(["predict", path("c250.nnm"), data, "--no-proba"])
        #expect(p.status == 0 && p.stdout.split(separator: "\n").count == 1001)
        let more = try write("x,label\n" + rows.joined(separator: "\n") + "\n0,c250\n", "classes251.csv")
        let refused = try Zoo.run(["train", "linear", "--data", more, "--target", "label", "--out", path("c251.nnm")])
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "error: the target 'label' has more than 250 distinct texts; a classifier takes at most 250 classes (is it an identifier?)\n"
        )
        #expect(!FileManager.default.fileExists(atPath: path("c251.nnm")))
    }

    @Test func aColumnWithManyLevelsIsWarnedAbout() throws {
        let rows = (1...60).map { "id\($0),\($0),\(20 + $0 % 7)" }
        let r = try train(try write("Id,Age,BMI\n" + rows.joined(separator: "\n") + "\n", "ids.csv"))
        #expect(r.status == 0)
        #expect(
            r.stderr.contains(
                "warning: column 'Id' has 60 distinct values in 60 rows (one input each); "
                    + "if it is an identifier or free text, leave it out with --features\n"))
    }

    @Test func theCaseWarningNamesTheColumnAndTheValues() throws {
        #expect(try train(try generated()).status == 0)
        let people = try write("Sex,Age,Height(Inches),Weight(Pounds)\nmale,30,70,180\nMALE,40,65,150\nmale,50,60,140\n", "people.csv")
        let p = try Zoo.run(["predict", path("m.nnm"), people])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(
            p.stderr == "warning: 3 categorical values matched a level only when ignoring case: "
                + "'male' for 'Male' in column 'Sex', 'MALE' for 'Male' in column 'Sex'\n")
    }

    /// `--columns` copies plain cells as they are and quotes the rest as a CSV field needs.
    @Test func carriedColumnsKeepTheirTextAsFields() throws {
        #expect(try train(try generated()).status == 0)
        let names = ["plain", "\"a,b\"", "\"say \"\"hi\"\"\"", "caf\u{E9}", "\"  padded  \"", ""]
        let rows = names.map { "\($0),Male,30,70,180" }
        let people = try write("Name,Sex,Age,Height(Inches),Weight(Pounds)\n" + rows.joined(separator: "\n") + "\n", "names.csv")
        let p = try Zoo.run(["predict", path("m.nnm"), people, "--columns", "Name,Age"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.hasPrefix("Name,Age,BMI_pred\n"))
        #expect(
            p.stdout.split(separator: "\n").dropFirst().map { $0.components(separatedBy: ",30,").first! } == [
                "plain", "\"a,b\"", "\"say \"\"hi\"\"\"", "caf\u{E9}", "  padded  ", "",
            ])
    }

    @Test func predictOnFiftyThousandColumnsStaysInBoundedMemory() throws {
        #expect(try train(try generated()).status == 0)
        let filler = (0..<50_000).map { "x\($0)" }.joined(separator: ",")
        let values = String(repeating: "0,", count: 49_999) + "0"
        let rows = (0..<45).map { "Male,\(20 + $0),70,160,\(values)" }
        let wide = try write("Sex,Age,Height(Inches),Weight(Pounds),\(filler)\n" + rows.joined(separator: "\n") + "\n", "wide.csv")
        let p = try Zoo.run(["predict", path("m.nnm"), wide, "--columns", "Age", "-o", path("wide-pred.csv")])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(try String(contentsOfFile: path("wide-pred.csv"), encoding: .utf8).split(separator: "\n").count == 46)
    }
}
