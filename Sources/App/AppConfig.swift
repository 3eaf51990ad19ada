// Every environment variable the app reads, read once at start and typed.
import LiangbangCore
import Vapor

public struct AppConfig: Sendable {
    public enum Database: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(url: String, searchPath: String?)
    }

    public var dataDirectory: String
    public var database: Database
    /// LIANGBANG_ADMIN_PASSWORD: the province admin's first password; random and printed once when unset.
    public var adminPassword: String?
    /// LIANGBANG_SECRET_KEY: base64 of 32 bytes; falls back to `<data>/secret.key`, created 0600 on first start.
    public var secretKeyBase64: String?
    /// LIANGBANG_TRUST_PROXY=true: take the client address from X-Forwarded-For (behind nginx).
    public var trustProxy: Bool
    /// LIANGBANG_BCRYPT_COST: lower only for tests.
    public var bcryptCost: Int
    public var maxFailedLogins: Int
    public var lockMinutes: Int
    public var webSessionHours: Int
    public var apiTokenDays: Int
    /// LIANGBANG_SECURE_COOKIES=true when served over HTTPS.
    public var secureCookies: Bool
    /// LIANGBANG_ROBOT_TEST_HOSTS: `host:port` list a group-robot address may also name over HTTP (a local fake
    /// robot for tests); otherwise only 企业微信 and 钉钉 themselves, over HTTPS.
    public var robotTestHosts: [String] = []
    /// LIANGBANG_HEALTH_FOLLOW_UP_DAYS: a 健康直通车 finding is followed up within this many days (default 30).
    public var healthFollowUpDays: Int = HealthRules.followUpDays

    public static func fromEnvironment() throws -> AppConfig {
        let dataDir = Environment.get("LIANGBANG_DATA_DIR") ?? "./data"
        var database = Database.sqliteFile(dataDir + "/liangbang.sqlite")
        if let url = Environment.get("DATABASE_URL"), !url.isEmpty {
            database = .postgres(url: url, searchPath: Environment.get("LIANGBANG_PG_SCHEMA"))
        }
        func int(_ name: String, _ fallback: Int) throws -> Int {
            guard let text = Environment.get(name) else { return fallback }
            guard let value = Int(text), value > 0 else {
                throw ConfigError(message: "环境变量 \(name) 应为正整数")
            }
            return value
        }
        return AppConfig(
            dataDirectory: dataDir,
            database: database,
            adminPassword: Environment.get("LIANGBANG_ADMIN_PASSWORD").flatMap { $0.isEmpty ? nil : $0 },
            secretKeyBase64: Environment.get("LIANGBANG_SECRET_KEY"),
            trustProxy: Environment.get("LIANGBANG_TRUST_PROXY") == "true",
            bcryptCost: try int("LIANGBANG_BCRYPT_COST", 12),
            maxFailedLogins: try int("LIANGBANG_MAX_FAILED_LOGINS", 5),
            lockMinutes: try int("LIANGBANG_LOCK_MINUTES", 15),
            webSessionHours: try int("LIANGBANG_SESSION_HOURS", 12),
            apiTokenDays: try int("LIANGBANG_API_TOKEN_DAYS", 30),
            secureCookies: Environment.get("LIANGBANG_SECURE_COOKIES") == "true",
            robotTestHosts: (Environment.get("LIANGBANG_ROBOT_TEST_HOSTS") ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty },
            healthFollowUpDays: min(try int("LIANGBANG_HEALTH_FOLLOW_UP_DAYS", HealthRules.followUpDays), 365)
        )
    }

    public struct ConfigError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    public var config: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { fatalError("configure(_:) sets app.config first") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }
}

/// Finds the folder holding `Resources/` and `Public/`: the working directory when run from the
/// project, else LIANGBANG_HOME, else the project the executable was built in (`.build/<config>/liangbang`).
enum ProjectRoot {
    static func find(workingDirectory: String) throws -> String {
        var candidates = [workingDirectory]
        if let home = Environment.get("LIANGBANG_HOME") { candidates.insert(home, at: 0) }
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var dir = exe.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(dir.path)
                dir = dir.deletingLastPathComponent()
            }
        }
        for candidate in candidates {
            let dir = candidate.hasSuffix("/") ? candidate : candidate + "/"
            if FileManager.default.fileExists(atPath: dir + "Resources/Seed/guangdong-divisions.csv") { return dir }
        }
        throw AppConfig.ConfigError(message: "找不到 Resources/Seed 参考数据：请在项目目录中运行，或用环境变量 LIANGBANG_HOME 指定项目目录")
    }
}
