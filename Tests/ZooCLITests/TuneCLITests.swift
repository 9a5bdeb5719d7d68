import Foundation
import Testing

/// `zoo tune` and `zoo train --cv` as a user runs them: outputs, files, exit codes.
@Suite struct TuneCLITests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func csv() throws -> String {
        let p = path("d.csv")
        try Zoo.run(["data", "generate", "--rows", "300", "--seed", "5", "-o", p])
        return p
    }

    @Test func gridSearchPrintsTheLeaderboardAndSavesTheRefitBest() throws {
        let data = try csv()
        let r = try Zoo.run([
            "tune", "forest", "--data", data, "--target", "BMI", "--grid", "trees=3|6", "--grid", "max_depth=none|3",
            "--folds", "3", "--out", path("best.nnm"),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines[0].hasPrefix("rank  trees  max_depth") && lines.count == 6)
        #expect(lines[2].hasPrefix("   1  "))
        #expect(
            r.stderr.contains("tune: 12/12 fits") && r.stderr.contains("best: trees=") && r.stderr.contains("saved \(path("best.nnm"))"))
        // One line per fit in the results file next to --out, after its header.
        let log = try String(contentsOfFile: path("best.tune.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(log.count == 13)
        let inspect = try Zoo.run(["inspect", path("best.nnm")])
        #expect(inspect.stdout.contains("Search: grid over trees, max_depth, 4 candidates × 3 folds, scoring rmse:"))
        let report = try Zoo.run(["report", path("best.nnm"), "--data", data, "-o", path("r.html")])
        #expect(report.status == 0)
        let html = try String(contentsOfFile: path("r.html"), encoding: .utf8)
        #expect(
            html.contains("cv rmse against trees") && html.contains("cv rmse against max_depth") && html.contains("Chosen by grid search"))

        // Run again: the results file is never overwritten; --resume reuses every fit.
        let again = try Zoo.run([
            "tune", "forest", "--data", data, "--target", "BMI", "--grid", "trees=3|6", "--grid", "max_depth=none|3",
            "--folds", "3", "--out", path("best.nnm"),
        ])
        #expect(again.status == 1 && again.stderr.contains("pass --resume to continue that search"))
        let resumed = try Zoo.run([
            "tune", "forest", "--data", data, "--target", "BMI", "--grid", "trees=3|6", "--grid", "max_depth=none|3",
            "--folds", "3", "--out", path("best2.nnm"), "--results", path("best.tune.jsonl"), "--resume",
        ])
        #expect(resumed.status == 0 && resumed.stdout == r.stdout.replacingOccurrences(of: "x", with: "x"))
        #expect(resumed.stderr.contains("resuming") && resumed.stderr.contains("12 of 12 fits already done"))
    }

    @Test func jsonHasScikitLearnsCvResultsFields() throws {
        let data = try csv()
        let r = try Zoo.run([
            "tune", "mlp", "--data", data, "--target", "BMI", "--grid", "hidden=4|6,3", "--grid", "learning_rate=0.001|0.01",
            "-p", "epochs=3", "--folds", "2", "--format", "json", "-q", "--results", path("m.jsonl"),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in [
            "params", "split0_test_score", "split1_test_score", "mean_test_score", "std_test_score", "rank_test_score",
            "mean_fit_time", "param_hidden", "param_learning_rate",
        ] {
            #expect((json[key] as? [Any])?.count == 4, "\(key)")
        }
        let scores = json["mean_test_score"] as! [Double]
        #expect(scores.allSatisfy { $0 < 0 } && scores == scores.sorted(by: >))  // negated RMSE, best first
        #expect((json["params"] as! [[String: Any]]).allSatisfy { $0["learning_rate"] is Double })
    }

    /// The leaderboard, but for the timing columns, is the same for 1 and 2 threads.
    @Test func oneAndTwoThreadsGiveTheSameLeaderboard() throws {
        let data = try csv()
        func board(_ threads: String) throws -> [String] {
            let r = try Zoo.run([
                "tune", "forest", "--data", data, "--target", "BMI", "--grid", "trees=3|5", "--grid", "max_features=1.0|0.5",
                "--folds", "3", "--format", "csv", "-q", "--threads", threads, "--results", path("t\(threads).jsonl"),
            ])
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.split(separator: "\n").map { line in
                let f = line.split(separator: ",", omittingEmptySubsequences: false)
                return (f[..<9] + f[11...]).joined(separator: ",")  // without mean_fit_time, std_fit_time
            }
        }
        let one = try board("1"), two = try board("2")
        #expect(one.count == 5 && one == two)
        #expect(one[0] == "rank,param_trees,param_max_features,mean_rmse,std_rmse,mean_mae,std_mae,mean_r2,std_r2,error")
    }

    @Test func trainCVPrintsFoldScoresAndStoresThem() throws {
        let data = try csv()
        let r = try Zoo.run(["train", "linear", "--data", data, "--target", "BMI", "--cv", "4", "--out", path("m.nnm")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("cv (4 folds of 240 training rows): RMSE "))
        let perFold = r.stdout.split(separator: "\n").first { $0.hasPrefix("cv RMSE per fold: ") }
        #expect(perFold?.split(separator: " ").count == 4 + 4)
        #expect(try Zoo.run(["inspect", path("m.nnm")]).stdout.contains("Search: cv, 1 candidates × 4 folds"))
    }

    @Test func groupedSplitsCrossValidateByGroup() throws {
        let data = try csv()
        let r = try Zoo.run(["train", "linear", "--data", data, "--target", "BMI", "--group", "Age", "--cv", "3", "--out", path("g.nnm")])
        #expect(r.status == 0 && r.stdout.contains("cv (3 folds of "), "\(r.stderr)")
        let one = try Zoo.run([
            "train", "linear", "--data", data, "--target", "BMI", "--group", "Sex", "--test-fraction", "0", "--cv", "3",
            "--out", path("h.nnm"),
        ])
        #expect(one.status == 1 && one.stderr.contains("2 groups: 3 grouped folds need at least 3"))
        // A group column the file lacks is an error even with nothing held out (it was ignored).
        let missing = try Zoo.run([
            "train", "linear", "--data", data, "--target", "BMI", "--group", "Household", "--test-fraction", "0", "--cv", "3",
            "--out", path("i.nnm"),
        ])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error: split column 'Household' not found; the header has: "))
        #expect(!FileManager.default.fileExists(atPath: path("i.nnm")))
    }

    @Test func badSearchesExitOneWithAReason() throws {
        let cases: [([String], String)] = [
            ([], "error: give the candidates with --grid name=a|b or --random N --dist ...\n"),
            (["--dist", "trees=int:1:5"], "error: --dist needs --random N (how many candidates to draw)\n"),
            (["--grid", "trees=3", "--folds", "1"], "error: --folds must be in 2...100, got 1\n"),
            (
                ["--grid", "trees=3", "--scoring", "auc"],
                "error: unknown scoring 'auc'; use one of rmse, mae, r2, log_loss, accuracy, balanced_accuracy, macro_f1, weighted_f1, roc_auc\n"
            ),
        ]
        for (extra, message) in cases {
            let r = try Zoo.run(["tune", "forest", "--data", "data/bmi_data.csv", "--target", "BMI"] + extra)
            #expect(r.status == 1 && r.stdout.isEmpty)
            #expect(r.stderr.hasPrefix(message), "\(extra): \(r.stderr)")
        }
        let unknown = try Zoo.run([
            "tune", "forest", "--data", "data/bmi_data.csv", "--target", "BMI", "--grid", "tres=3|4",
            "--results", path("u.jsonl"),
        ])
        #expect(unknown.status == 1 && unknown.stderr.contains("tres") && !FileManager.default.fileExists(atPath: path("u.jsonl")))
    }
}
