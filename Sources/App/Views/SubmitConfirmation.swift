// 报送 asks first (issue 11 §6): the submit button shows what is about to be sent — how many activities and whether
// the quotas are met; for a roster, the pupils under 14 still without a guardian's consent, by name — and only the
// confirmation (`confirm=1`) submits. What cannot be submitted (an empty plan) is said here, with no button.
import Fluent
import LiangbangCore
import Vapor

struct SubmitConfirmation: Encodable {
    let layout: Layout
    let title: String
    let action: String
    let back: String
    let lines: [String]
    let warnings: [String]
    /// Why it cannot be submitted at all (no confirm button then).
    let refusal: String?
    /// Fields posted again with `confirm=1`.
    let fields: [Field]
    struct Field: Encodable { let name: String; let value: String }

    static func activities(_ req: Request, campaign: Campaign, unit: Organization, stage: ActivityStage, back: String) async throws -> View {
        let page = try await ActivityPageBuilder(request: req).build(campaign: campaign, unit: unit)
        let due = stage.due(campaign.calendar), today = LocalDate(instant: req.now)
        var lines = ["单位：\(unit.name)", "报送：\(campaign.year)年度\(stage.label)",
                     "活动\(page.activities)项（示范活动\(page.demonstrations)项、重点宣传项目\(page.keyPublicity)项，覆盖\(page.people)人）"]
        lines += page.quotas.map { "\($0.met ? "✓ 已达标" : "✗ 未达标")：\($0.wording)（已有\($0.have)，要求至少\($0.need)）" }
        var warnings: [String] = []
        if today > due { warnings.append("已过截止日期（\(due.iso)），本次报送将记为逾期。") }
        if page.quotas.contains(where: { !$0.met }) { warnings.append("仍有工作指标未达标，可先补充活动再报送，也可以现在报送、稍后报送更新。") }
        return try await req.view.render("confirm-submit", SubmitConfirmation(
            layout: await Layout.build(for: req, title: "确认报送"), title: "确认报送\(stage.label)", action: "/activities/submit", back: back,
            lines: lines, warnings: warnings,
            refusal: page.activities == 0 ? "活动汇总表中还没有活动，不能报送\(stage.label)。请先添加活动或上传附件3。" : nil,
            fields: [.init(name: "campaign", value: String(campaign.year)), .init(name: "orgId", value: unit.id!.uuidString),
                     .init(name: "stage", value: stage.rawValue)]))
    }

    static func roster(_ req: Request, campaign: Campaign, university: Organization, orgID: UUID?, back: String) async throws -> View {
        let pairings = try await Pairing.query(on: req.db).filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).all()
        let lacking = pairings.filter { RosterRules.lacksConsent(age: $0.pupilAge, consent: $0.guardianConsent, on: LocalDate(iso: $0.consentDate ?? "")) }
        let names = Array(Set(lacking.map(\.pupilName))).sorted()
        let due = campaign.calendar.rosterDue, today = LocalDate(instant: req.now)
        var warnings: [String] = []
        if !names.isEmpty {
            warnings.append("未满14岁、尚未取得监护人同意的学生\(names.count)名：" + names.prefix(100).joined(separator: "、")
                            + (names.count > 100 ? " 等" : "") + "。请尽快补充监护人同意情况。")
        }
        if today > due { warnings.append("已过截止日期（\(due.iso)），本次报送将记为逾期。") }
        return try await req.view.render("confirm-submit", SubmitConfirmation(
            layout: await Layout.build(for: req, title: "确认报送"), title: "确认报送结对名单", action: "/roster/submit", back: back,
            lines: ["高校：\(university.name)", "报送：\(campaign.year)年度结对名单（附件2）",
                    "结对\(pairings.count)条：学生\(Set(pairings.map(\.pupilIDHash)).count)名、志愿者\(Set(pairings.map(\.volunteerIDHash)).count)名"],
            warnings: warnings,
            refusal: pairings.isEmpty ? "结对名单是空的，不能报送。请先上传附件2或逐条添加结对。" : nil,
            fields: [.init(name: "campaign", value: String(campaign.year))] + (orgID.map { [.init(name: "orgId", value: $0.uuidString)] } ?? [])))
    }
}
