// Notifications (reminders, digests) go through one interface. The default only writes a log line — recipient
// and subject, never the body, which may name pupils — so a real SMS or mail sender can be plugged in later.
import Vapor

struct OutgoingMessage: Sendable {
    let recipient: String      // username
    let subject: String
    let body: String
}

protocol Notifier: Sendable {
    func send(_ message: OutgoingMessage, logger: Logger) async throws
}

struct LogNotifier: Notifier {
    func send(_ message: OutgoingMessage, logger: Logger) async throws {
        logger.notice("notification", metadata: ["to": .string(message.recipient), "subject": .string(message.subject)])
    }
}

extension Application {
    private struct NotifierKey: StorageKey { typealias Value = any Notifier }
    /// Replace with a real sender in `configure` (or in tests, a recording one).
    var notifier: any Notifier {
        get { storage[NotifierKey.self] ?? LogNotifier() }
        set { storage[NotifierKey.self] = newValue }
    }
}
