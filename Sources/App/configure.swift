// Wires the application: configuration, database, migrations and seed, middleware, views, routes, commands.
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import SQLKit
import Vapor

/// `config` is read from the environment unless a test passes its own.
public func configure(_ app: Application, config: AppConfig? = nil) async throws {
    let config = try config ?? AppConfig.fromEnvironment()
    app.config = config
    app.directory = DirectoryConfiguration(workingDirectory: try ProjectRoot.find(workingDirectory: app.directory.workingDirectory))
    try DataDirectory.prepare(config.dataDirectory)
    // SQLite statements, bcrypt and file reads share this pool; with one thread per core a writer waiting for the
    // write lock could hold the thread the lock holder needs to commit. Threads that mostly wait are cheap.
    app.threadPool = NIOThreadPool(numberOfThreads: max(16, System.coreCount * 4))
    app.appServices = AppServices(secret: try SecretKey.load(config: config))

    switch config.database {
    case .sqliteFile(let path):
        // One connection per event loop and one writer at a time: on the deadline morning requests queue for it.
        // They wait (up to two minutes) rather than fail after Fluent's default ten seconds.
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(120), dataEncoder: .init(), dataDecoder: .init(),
                                  sqlLogLevel: .trace), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, connectionPoolTimeout: .seconds(120), dataEncoder: .init(), dataDecoder: .init(),
                                  sqlLogLevel: .trace), as: .sqlite)
    case .postgres(let url, let schema):
        var pg = try SQLPostgresConfiguration(url: url)
        if let schema { pg.searchPath = [schema] }
        app.databases.use(.postgres(configuration: pg, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(120),
                                    sqlLogLevel: .trace), as: .psql)
    }

    let reference = try ReferenceData(directory: app.directory.resourcesDirectory + "Seed/")
    app.apiDocument = try APIDocument.load(directory: app.directory.resourcesDirectory + "OpenAPI/")
    app.migrations.add(CreateOrganizations(), CreateUsers(), CreateAuthTokens(), CreateCampaigns(), CreateAuditEvents())
    app.migrations.add(UpdateCampaignsAddTutoring(), AddCampaignMatchingWeights())
    app.migrations.add(SeedOrganisations(reference: reference), SeedCampaign2022(reference: reference))
    app.migrations.add(CreateProvinceAdmin(password: config.adminPassword, cost: config.bcryptCost))
    app.migrations.add(CreatePairings())
    app.migrations.add(CreateTutoringSessions(), UpdateSessionsCoveringIndex())
    app.migrations.add(CreateActivities())
    app.migrations.add(CreateWriteGate(), UpdatePairingsAgeNotBirthDate(), CreatePairingConflicts())
    app.migrations.add(CreateTutoringWeeks(), CreateWriteVersions(), DropPairingsPupilIndex(), AddUserStatus())
    app.migrations.add(CreateNotifications())
    app.migrations.add(CreateDeployments(), CreatePracticeRegisters(), AddPendingImportTarget())
    app.migrations.add(CreateEmploymentRegisters(), CreateTrainingRegisters(), CreateContestRegisters())
    app.migrations.add(CreateHotlineRegisters(), CreateHealthRegisters(), CreateDisabilityRegisters(), CreateCompanionRegisters())
    app.migrations.add(CreateMatchingRuns())
    app.fluent.migrationLogLevel = .debug

    CleanInput.install()
    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    app.views.use(.leaf)
    // A refused form comes back with what was typed (`FormState`).
    app.leaf.tags["value"] = FormValueTag()
    app.leaf.tags["fieldError"] = FieldErrorTag()
    app.leaf.tags["formMessage"] = FormMessageTag()
    // Long lists share one table component (`TableQuery`).
    app.leaf.tags["pager"] = PagerTag()
    app.leaf.tags["sortable"] = SortableTag()
    app.leaf.tags["searchBox"] = SearchBoxTag()
    app.routes.defaultMaxBodySize = "1mb"
    app.http.server.configuration.hostname = "127.0.0.1"
    app.http.server.configuration.port = 8080

    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(Authentication())
    app.middleware.use(FlashMiddleware())
    app.middleware.use(AuditWritesMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())

    // Group-robot messages waiting for a retry are sent every 30 s (each claimed once across instances).
    app.lifecycle.use(RobotCourierLifecycle())

    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(RosterCommands(), as: "roster")
    app.asyncCommands.use(MatchCommands(), as: "match")
    app.asyncCommands.use(ActivityCommands(), as: "activities")
    app.asyncCommands.use(DeploymentCommands(), as: "deployments")
    app.asyncCommands.use(TargetCommands(), as: "targets")
    app.asyncCommands.use(DemoDataCommand(), as: "demo-data")
    app.asyncCommands.use(NotifyCommand(), as: "notify")
    app.asyncCommands.use(SubjectAccessCommand(), as: "subject-access")
    app.asyncCommands.use(RetentionCommand(), as: "retention")

    // Every command, `serve` included, finds a migrated and seeded database, even in a fresh data directory.
    if case .postgres(_, let schema?) = config.database {
        // LIANGBANG_PG_SCHEMA: several deployments (or test runs) can share one PostgreSQL database.
        try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
    }
    if case .sqliteFile(let path) = config.database {
        // WAL: readers never wait for the writer and the writer never waits for readers; the setting is kept in
        // the file. Writers queue on the write lock (`Database.writeTransaction`).
        try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode = WAL").run()
        try await app.autoMigrate()
        try DataDirectory.restrict(databaseFiles: path)
    } else {
        try await app.autoMigrate()
    }
    try routes(app)
}
