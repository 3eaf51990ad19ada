// The data directory holds minors' data (the database) and the server key: only the server's user may read it.
import Foundation

enum DataDirectory {
    /// Creates the folder if needed and makes it 0700, also when an older version left it open.
    static func prepare(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        // A shared sticky folder (LIANGBANG_DATA_DIR=/tmp by mistake) is left alone: it is not ours to close.
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
        if mode & 0o1000 == 0 {
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        }
    }

    /// The SQLite file and its WAL and shared-memory companions: 0600.
    static func restrict(databaseFiles path: String) throws {
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }
}
