import Foundation
import Testing

/// `zoo predict` as a pipe stage (Spark SQL TRANSFORM, RDD.pipe, Hadoop Streaming): no header in or
/// out, `\N` as null, the prediction alone, and exactly one output line per input line whatever
/// happens to a line.
@Suite struct PipeStageCLITests {
    static let model = "models/bmi-linear.nnm"
    /// Six lines: good, a null Age, blank, too few fields, good, an unknown category.
    static let lines = "Male,30,70,180\nFemale,\\N,65,120\n\nMale,30\nMale,40,71,190\nMars,1,2,3\n"

    @Test func skippedAndMalformedLinesKeepTheirPlace() throws {
        let r = try Zoo.run(
            [
                "predict", Self.model, "-", "-o", "-", "--no-header", "--null-token", "\\N", "--emit", "prediction",
                "--on-error", "skip", "--quiet",
            ], stdin: Data(Self.lines.utf8))
        #expect(r.status == 0)
        let out = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(out.count == 7 && out[6] == "")  // six lines, each terminated
        #expect(Double(out[0]) != nil && Double(out[4]) != nil)
        #expect([out[1], out[2], out[3], out[5]] == ["", "", "", ""])
        #expect(r.stderr.contains("4 of 6 rows could not be predicted"))
    }

    @Test func rowOutputCarriesTheLineAsItWas() throws {
        let r = try Zoo.run(
            ["predict", Self.model, "-", "--no-header", "--null-token", "\\N", "--on-error", "skip", "--quiet"],
            stdin: Data(Self.lines.utf8))
        let out = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(out[1] == "Female,\\N,65,120,")
        #expect(out[2] == ",")
        #expect(out[3] == "Male,30,")
        #expect(out[0].hasPrefix("Male,30,70,180,2"))
    }

    @Test func inputColumnsNameTheFieldsInAnyOrderWithExtras() throws {
        let lines = "7,180,70,Male,30\n8,120,65,Female,25\n"
        let r = try Zoo.run(
            [
                "predict", Self.model, "-", "--no-header", "--input-columns", "id,Weight(Pounds),Height(Inches),Sex,Age",
                "--emit", "prediction", "--quiet",
            ], stdin: Data(lines.utf8))
        let plain = try Zoo.run(
            ["predict", Self.model, "-", "--no-header", "--emit", "prediction", "--quiet"],
            stdin: Data("Male,30,70,180\nFemale,25,65,120\n".utf8))
        #expect(r.status == 0 && plain.status == 0)
        #expect(r.stdout == plain.stdout)
    }

    @Test func failingLinesNameTheirLineInOrder() throws {
        let r = try Zoo.run(["predict", Self.model, "-", "--no-header", "--null-token", "\\N", "--quiet"], stdin: Data(Self.lines.utf8))
        #expect(r.status == 1)
        #expect(r.stderr.contains("line 2, column 'Age': missing value"))
        let ragged = try Zoo.run(["predict", Self.model, "-", "--no-header", "--quiet"], stdin: Data("Male,30\nMale,30,70,180\n".utf8))
        #expect(ragged.status == 1)
        #expect(ragged.stderr.contains("line 1: expected 4 fields, found 2 fields"))
    }

    @Test func anOpenQuoteSpoilsOnlyItsOwnLine() throws {
        let input = "Male,\"30,70,180\nFemale,25,65,120\r\nMale,\"3\"0\",70,180\nMale,\"30\",70,180\n"
        let r = try Zoo.run(
            ["predict", Self.model, "-", "--no-header", "--emit", "prediction", "--on-error", "skip", "--quiet"],
            stdin: Data(input.utf8))
        #expect(r.status == 0)
        let out = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(out.count == 5)
        #expect(out[0] == "" && Double(out[1]) != nil && out[2] == "" && Double(out[3]) != nil)
        let fail = try Zoo.run(["predict", Self.model, "-", "--no-header", "--quiet"], stdin: Data(input.utf8))
        #expect(fail.status == 1 && fail.stderr.contains("line 1: the quotes on this line cannot be read"))
    }

    @Test func withoutTheNullTokenBackslashNIsText() throws {
        let r = try Zoo.run(
            ["predict", Self.model, "-", "--no-header", "--emit", "prediction", "--on-error", "skip", "--quiet"],
            stdin: Data("Female,\\N,65,120\n".utf8))
        #expect(r.status == 0 && r.stdout == "\n")
        let fail = try Zoo.run(["predict", Self.model, "-", "--no-header", "--quiet"], stdin: Data("Female,\\N,65,120\n".utf8))
        #expect(fail.stderr.contains("expected a number, found '\\N'"))
    }

    @Test func emptyInputGivesEmptyOutput() throws {
        let r = try Zoo.run(["predict", Self.model, "-", "--no-header", "--emit", "prediction"], stdin: Data())
        #expect(r.status == 0 && r.stdout.isEmpty)
    }

    @Test func misusedOptionsAreErrors() throws {
        let a = try Zoo.run(["predict", Self.model, "-", "--input-columns", "a,b"], stdin: Data())
        #expect(a.status == 1 && a.stderr.contains("add --no-header"))
        let b = try Zoo.run(["predict", Self.model, "-", "--emit", "prediction", "--columns", "Age"], stdin: Data())
        #expect(b.status == 1 && b.stderr.contains("--emit prediction writes the prediction alone"))
    }

    @Test func withAHeaderEmitPredictionWritesTheColumnAlone() throws {
        let r = try Zoo.run(
            ["predict", Self.model, "-", "--emit", "prediction", "--quiet"],
            stdin: Data("Sex,Age,Height(Inches),Weight(Pounds)\nMale,30,70,180\n".utf8))
        let out = r.stdout.split(separator: "\n").map(String.init)
        #expect(out.count == 2 && out[0] == "BMI_pred" && Double(out[1]) != nil)
    }
}
