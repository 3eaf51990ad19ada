// The organisation tree of the Youth League and the roles users hold in it.

public enum OrgKind: String, Sendable, Codable, CaseIterable {
    case province, city, county, town, university, provincialUnit

    public var label: String {
        switch self {
        case .province: return "团省委"
        case .city: return "地市团委"
        case .county: return "县级团委"
        case .town: return "镇街团委"
        case .university: return "高校团委"
        case .provincialUnit: return "省有关单位团（工）委"
        }
    }

    /// Which kinds an admin may create directly below an organisation of this kind.
    /// Cities and counties come from GB/T 2260 and are seeded, not created by hand.
    public var creatableChildren: [OrgKind] {
        switch self {
        case .province: return [.university, .provincialUnit]
        case .city: return [.town]
        case .county: return [.town]
        case .town, .university, .provincialUnit: return []
        }
    }
}

public enum Role: String, Sendable, Codable, CaseIterable {
    case admin, staff, viewer, volunteer, counselor

    public var label: String {
        switch self {
        case .admin: return "管理员"
        case .staff: return "工作人员"
        case .viewer: return "查看者"
        case .volunteer: return "志愿者"
        case .counselor: return "心理咨询师"
        }
    }

    /// Only admins manage users; an admin may hand out any role, including admin of a unit below.
    public var canManageUsers: Bool { self == .admin }
    /// Roles that may enter and submit their organisation's data.
    public var canWrite: Bool { self == .admin || self == .staff }
}

/// A user as the permission rules see it: role, permission and the path of its organisation.
public struct Actor: Sendable, Equatable {
    public let role: Role
    public let sensitiveData: Bool
    /// Materialised path of the actor's organisation, e.g. `/1/7/` (ancestors first, itself last).
    public let orgPath: String

    public init(role: Role, sensitiveData: Bool, orgPath: String) {
        self.role = role; self.sensitiveData = sensitiveData; self.orgPath = orgPath
    }

    /// True when `path` is the actor's organisation or one below it.
    public func reaches(_ path: String) -> Bool { path.hasPrefix(orgPath) }
}

/// The kinds of sensitive record the care items hold, beyond ID numbers.
public enum SensitiveCategory: String, Sendable, CaseIterable {
    case health, disability, hotline
    public var label: String { [.health: "健康检查信息", .disability: "残疾信息", .hotline: "12355个案"][self]! }
}

public enum AccessDecision: Equatable, Sendable {
    case allowed
    /// Outside the actor's subtree: the caller must not learn it exists (404).
    case notVisible
    /// Visible but beyond the actor's role (403), with the reason in Chinese.
    case forbidden(String)
}

/// The pure rules behind the one permission layer; the App's `Access` service applies them.
public enum AccessPolicy {
    public static func createUser(by actor: Actor, inOrgPath path: String, role: Role, sensitiveData: Bool) -> AccessDecision {
        guard actor.reaches(path) else { return .notVisible }
        guard actor.role.canManageUsers else { return .forbidden("只有管理员可以创建用户") }
        if sensitiveData && !actor.sensitiveData {
            return .forbidden("您本人没有敏感数据权限，不能授予他人")
        }
        _ = role // every role is at or below admin
        return .allowed
    }

    /// Changing an account (role, disabled, sensitive-data permission, name) or resetting its password: an admin
    /// over the account's unit; granting or revoking the permission only by an admin who holds it; never one's own
    /// role or account status (an admin cannot lock itself out).
    public static func manageUser(by actor: Actor, targetOrgPath path: String, isSelf: Bool, changesRoleOrStatus: Bool,
                                  changesSensitiveData: Bool) -> AccessDecision {
        guard actor.reaches(path) else { return .notVisible }
        guard actor.role.canManageUsers else { return .forbidden("只有管理员可以管理用户") }
        if changesSensitiveData && !actor.sensitiveData {
            return .forbidden("您本人没有敏感数据权限，不能授予或收回")
        }
        if isSelf && changesRoleOrStatus { return .forbidden("不能停用自己的账户或修改自己的角色，请由其他管理员办理") }
        return .allowed
    }

    public static func createOrganisation(by actor: Actor, parentPath: String, parentKind: OrgKind, kind: OrgKind) -> AccessDecision {
        guard actor.reaches(parentPath) else { return .notVisible }
        guard actor.role.canManageUsers else { return .forbidden("只有管理员可以添加下级组织") }
        guard parentKind.creatableChildren.contains(kind) else {
            return .forbidden("\(parentKind.label)下不能添加\(kind.label)")
        }
        return .allowed
    }

    /// A unit's settings that reach outside the platform (its group robot): an admin over the unit.
    public static func configureUnit(by actor: Actor, orgPath: String) -> AccessDecision {
        guard actor.reaches(orgPath) else { return .notVisible }
        guard actor.role.canManageUsers else { return .forbidden("只有管理员可以设置本单位的群机器人") }
        return .allowed
    }

    /// Reading (or writing) what a care record says. Health and disability records: the owning unit's subtree, with
    /// the sensitive-data permission. 12355 cases: counsellors alone (with the permission) of the holding unit's
    /// subtree — the role is checked first, so that a province admin or a staff member learns nothing from an id.
    public static func caseContent(by actor: Actor, category: SensitiveCategory, orgPath: String) -> AccessDecision {
        if category == .hotline && actor.role != .counselor { return .forbidden("12355个案只有心理咨询师可以查看，其他用户只能查看汇总数") }
        if category == .hotline && !actor.sensitiveData { return .forbidden("查看12355个案需要“敏感数据权限”，请联系管理员") }
        guard actor.reaches(orgPath) else { return .notVisible }
        guard actor.sensitiveData else { return .forbidden("查看\(category.label)需要“敏感数据权限”，请联系管理员") }
        return .allowed
    }

    public static func write(by actor: Actor, orgPath: String) -> AccessDecision {
        guard actor.reaches(orgPath) else { return .notVisible }
        guard actor.role.canWrite else { return .forbidden("您的角色只能查看，不能修改") }
        return .allowed
    }
}
