// Every route collection; each declares its own guards in `boot`.
import Vapor

func routes(_ app: Application) throws {
    try app.register(collection: HomeController())
    try app.register(collection: SessionController())
    try app.register(collection: OrganizationController())
    try app.register(collection: UserController())
    try app.register(collection: UserPagesController())
    try app.register(collection: TemplateController())
    try app.register(collection: CampaignController())
    try app.register(collection: AssignmentController())
    try app.register(collection: AuditController())
    try app.register(collection: PairingAPIController())
    try app.register(collection: RosterController())
    try app.register(collection: ImportController<RosterImportForm>())
    try app.register(collection: TutoringController())
    try app.register(collection: VolunteerController())
    try app.register(collection: ComplianceController())
    try app.register(collection: ActivityController())
    try app.register(collection: ImportController<ActivityImportForm>())
    try app.register(collection: ImportController<AccountImportForm>())
    try app.register(collection: ActivityAPIController())
    try app.register(collection: CompletenessController())
    try app.register(collection: NotificationController())
    try app.register(collection: RobotController())
    try app.register(collection: DeploymentController())
    try app.register(collection: ImportController<DeploymentImportForm>())
    try app.register(collection: DeploymentAPIController())
    // Unknown /api paths answer JSON 404 through the error middleware, like every other API error.
    app.grouped("api").get("**") { _ -> Response in throw AppError.notFound("该接口") }
}
