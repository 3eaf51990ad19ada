import App
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        if let status = OfflineCommands.run(CommandLine.arguments) { exit(status) }
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)
        let app = try await Application.make(env)
        do {
            try await configure(app)
            try await app.execute()
        } catch {
            // One line for the operator, not a crash with a backtrace.
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            exit(1)
        }
        let code = app.exitCode
        try await app.asyncShutdown()
        if code != 0 { exit(code) }
    }
}
