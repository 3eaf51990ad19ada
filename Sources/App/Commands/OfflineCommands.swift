// Commands that only read or write files and must not open the database or boot the server.
// ConsoleKit signatures cannot take the engine's free-form options, so they are dispatched first.
import Spreadsheet

public enum OfflineCommands {
    /// `liangbang xlsx to-csv|info|from-csv …`; nil when `arguments` is not an offline command.
    public static func run(_ arguments: [String]) -> Int32? {
        guard arguments.count >= 2, arguments[1] == "xlsx" else { return nil }
        return SpreadsheetCLI.run(Array(arguments.dropFirst(2)))
    }
}
