import FuzzHarness

#if FUZZING
    /// libFuzzer entry point (built by Tests/Fuzz/run.sh with -DFUZZING and -sanitize=fuzzer,address).
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        FuzzHarness.nnm(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
#else
    import Foundation

    /// Without libFuzzer: replays the files given as arguments (e.g. a crash reproducer).
    @main
    struct FuzzNNMReplay {
        static func main() {
            for path in CommandLine.arguments.dropFirst() {
                guard let d = FileManager.default.contents(atPath: path) else { continue }
                FuzzHarness.nnm([UInt8](d))
                print("ok \(path)")
            }
        }
    }
#endif
