// Accounts managed by admins (issue 11 §2): list and search the subtree's users, change role, name, status and
// the sensitive-data permission, reset a password to a temporary one, and change one's own password. The same
// functions serve the JSON API and the users page; every change is audited (never a password).
import Fluent
import LiangbangCore
import Vapor

struct Accounts {
    let request: Request
    var db: any Database { request.db }

    /// An account the caller may see, with its unit; 404 outside the caller's subtree.
    func visible(_ id: UUID?) async throws -> (User, Organization) {
        guard let id, let user = try await User.find(id, on: db) else { throw AppError.notFound("该用户") }
        do {
            return (user, try await request.access.organization(user.orgID))
        } catch let error as AppError where error.status == .notFound {
            throw AppError.notFound("该用户")
        }
    }

    /// The subtree's accounts (or one unit's), matching `q` in the username, the name or the unit's name or code.
    func list(orgID: UUID?, q: String?) async throws -> [(User, Organization)] {
        let units = try await request.access.visibleOrganizations().all()
        var byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0) })
        if let orgID { byID = [orgID: try await request.access.organization(orgID)] }
        var query = User.query(on: db).filter(\.$orgID ~~ Array(byID.keys))
        let needle = TextNormaliser.clean(q ?? "")
        if !needle.isEmpty {
            let matchingUnits = byID.values.filter { $0.name.contains(needle) || ($0.code ?? "").hasPrefix(needle) }.compactMap(\.id)
            query = query.group(.or) { or in
                or.filter(\.$username ~~ needle).filter(\.$displayName ~~ needle)
                if !matchingUnits.isEmpty { or.filter(\.$orgID ~~ matchingUnits) }
            }
        }
        return try await query.sort(\.$username).all().compactMap { user in byID[user.orgID].map { (user, $0) } }
    }

    struct Change: Content {
        var role: String?
        var disabled: Bool?
        var sensitiveData: Bool?
        var displayName: String?

        init(role: String? = nil, disabled: Bool? = nil, sensitiveData: Bool? = nil, displayName: String? = nil) {
            self.role = role; self.disabled = disabled; self.sensitiveData = sensitiveData; self.displayName = displayName
        }
    }

    /// Applies `change` to account `id`; a disabled account's sessions end at once.
    func update(_ id: UUID?, _ change: Change) async throws -> User {
        let (user, org) = try await visible(id)
        let me = try request.access.current
        let role = try change.role.map { text -> Role in
            guard let role = Role(rawValue: text) else {
                let message = "角色无效，可选：" + Role.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、")
                throw AppError.invalid(message, problems: [.init(field: "role", message: message)])
            }
            return role
        }
        let roleOrStatus = (role != nil && role != user.role) || (change.disabled != nil && change.disabled != user.disabled)
        let sensitive = change.sensitiveData != nil && change.sensitiveData != user.sensitiveData
        try request.access.enforce(AccessPolicy.manageUser(by: me.actor, targetOrgPath: org.path, isSelf: user.id == me.user.id,
                                                           changesRoleOrStatus: roleOrStatus, changesSensitiveData: sensitive))
        var said: [String] = []
        if let name = change.displayName.map(TextNormaliser.trim), name != user.displayName {
            guard (1...40).contains(name.count) else {
                throw AppError.invalid("姓名应为1至40个字", problems: [.init(field: "displayName", message: "姓名应为1至40个字")])
            }
            user.displayName = name
            said.append("姓名")
        }
        if let role, role != user.role { user.role = role; said.append("角色改为\(role.label)") }
        if let flag = change.sensitiveData, flag != user.sensitiveData {
            user.sensitiveData = flag
            said.append(flag ? "授予敏感数据权限" : "收回敏感数据权限")
        }
        if let disabled = change.disabled, disabled != user.disabled {
            user.disabled = disabled
            said.append(disabled ? "停用" : "启用")
        }
        let changed = user
        try await db.writeTransaction(lock: org.id!) { tx in
            try await changed.save(on: tx)
            // Stopped, demoted or stripped of the permission: its open sessions must not keep what it had.
            if roleOrStatus || sensitive { try await AuthToken.query(on: tx).filter(\.$userID == changed.id!).delete() }
        }
        request.auditDetail = "修改用户 \(user.username)（\(org.name)）：" + (said.isEmpty ? "无变化" : said.joined(separator: "，"))
        return user
    }

    /// A new temporary password for account `id`, shown once; the user must change it at the next sign-in, and
    /// every session of the account ends.
    func resetPassword(_ id: UUID?) async throws -> (User, String) {
        let (user, org) = try await visible(id)
        let me = try request.access.current
        try request.access.enforce(AccessPolicy.manageUser(by: me.actor, targetOrgPath: org.path, isSelf: false,
                                                           changesRoleOrStatus: false, changesSensitiveData: false))
        let temporary = Self.temporaryPassword()
        user.passwordHash = try await request.password.async.hash(temporary)
        user.mustChangePassword = true
        user.failedLogins = 0
        user.lockedUntil = nil
        let changed = user
        try await db.writeTransaction(lock: org.id!) { tx in
            try await changed.save(on: tx)
            try await AuthToken.query(on: tx).filter(\.$userID == changed.id!).delete()
        }
        request.auditDetail = "重置用户 \(user.username)（\(org.name)）的密码"
        return (user, temporary)
    }

    /// Changes the caller's own password; the caller's other sessions end. Returns the problem, if any, in Chinese.
    func changeOwnPassword(current: String, new: String) async throws -> String? {
        let me = try request.access.current
        guard try await request.password.async.verify(current, created: me.user.passwordHash) else { return "当前密码不正确" }
        if let why = SessionController.passwordProblem(new) { return why }
        if new == current { return "新密码不能与当前密码相同" }
        me.user.passwordHash = try await request.password.async.hash(new)
        me.user.mustChangePassword = false
        let user = me.user, token = me.token.id!
        try await db.writeTransaction(lock: me.org.id!) { tx in
            try await user.save(on: tx)
            // Whoever knew the old password is signed out everywhere else.
            try await AuthToken.query(on: tx).filter(\.$userID == user.id!).filter(\.$id != token).delete()
        }
        request.auditDetail = "修改本人密码"
        return nil
    }

    /// 12 characters without look-alikes (0/O, 1/l/I), letters and digits mixed: readable over the phone.
    static func temporaryPassword() -> String {
        let letters = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"), digits = Array("23456789")
        var out = (0..<8).map { _ in letters.randomElement()! } + (0..<4).map { _ in digits.randomElement()! }
        out.shuffle()
        return String(out)
    }
}

extension Request {
    var accounts: Accounts { Accounts(request: self) }
}
