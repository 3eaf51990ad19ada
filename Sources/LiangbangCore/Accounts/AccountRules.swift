// Accounts created in bulk from a sheet (issue 11 §2): the columns, and the rules a line must pass.

public enum AccountColumn {
    public static let unit = "单位名称或代码"
    public static let username = "用户名"
    public static let displayName = "姓名"
    public static let role = "角色"
    public static let phone = "手机号"

    public static let specs: [ColumnSpec] = [
        ColumnSpec(unit, aliases: ["单位", "单位名称", "单位代码", "所在单位"]),
        ColumnSpec(username, aliases: ["账号", "登录名", "用户名（字母数字）"]),
        ColumnSpec(displayName, aliases: ["名字", "联系人", "使用人"]),
        ColumnSpec(role, aliases: ["账户角色", "权限"]),
        ColumnSpec(phone, aliases: ["手机", "手机号码", "联系电话"], required: false),
    ]
}

/// One validated line: the unit still as written (the app resolves it against the caller's subtree).
public struct AccountEntry: Sendable, Equatable {
    public let row: Int
    public let unit: String
    public let username: String
    public let displayName: String
    public let role: Role
    public let phone: String?
}

public enum AccountRules {
    /// Letters, digits and `_ . -`, 3 to 32 of them: what the sign-in form accepts.
    public static func usernameProblem(_ name: String) -> String? {
        guard (3...32).contains(name.count),
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0)) })
        else { return "用户名应为3至32位字母、数字或 _ . -" }
        return nil
    }

    /// A role by its Chinese label or its code. Volunteers are not made here: they activate with their code.
    public static func role(_ text: String) -> Role? {
        let t = text.lowercased()
        return Role.allCases.first { $0.label == text || $0.rawValue == t }
    }

    /// Mainland mobile numbers, 11 digits from 13 to 19; spaces and dashes typed between groups are ignored.
    public static func phone(_ text: String) -> String?? {
        let digits = text.filter { $0 != " " && $0 != "-" }
        if digits.isEmpty { return .some(nil) }
        guard digits.count == 11, digits.hasPrefix("1"), let second = digits.dropFirst().first, "3456789".contains(second),
              digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return .some(digits)
    }

    public static func validate(row: Int, _ value: (String) -> String) -> (AccountEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        func error(_ column: String, _ message: String) { problems.append(RowProblem(row: row, column: column, message: message)) }
        let unit = value(AccountColumn.unit), username = value(AccountColumn.username), name = value(AccountColumn.displayName)
        if unit.isEmpty { error(AccountColumn.unit, "请填写单位名称（如“乐昌市团委”写作“乐昌市”）或代码（如 440281）") }
        if let why = usernameProblem(username) { error(AccountColumn.username, username.isEmpty ? "请填写用户名" : why + "，“\(username.prefix(40))”不符合") }
        if name.isEmpty { error(AccountColumn.displayName, "请填写使用人姓名") } else if name.count > 40 { error(AccountColumn.displayName, "姓名最多40个字") }
        let roleText = value(AccountColumn.role)
        let role = Self.role(roleText)
        if role == nil {
            error(AccountColumn.role, "角色“\(roleText.prefix(20))”无法识别，请填写：管理员、工作人员、查看者或心理咨询师")
        } else if role == .volunteer {
            error(AccountColumn.role, "志愿者账户不在此批量创建：请由高校团委在“志愿者”页生成激活码，志愿者本人激活")
        }
        let phone = Self.phone(value(AccountColumn.phone))
        if phone == nil { error(AccountColumn.phone, "手机号“\(value(AccountColumn.phone).prefix(20))”应为11位数字，如 13800138000") }
        guard problems.isEmpty, let role, let phone else { return (nil, problems) }
        return (AccountEntry(row: row, unit: unit, username: username, displayName: name, role: role, phone: phone), problems)
    }

    /// The same username twice in one file.
    public static func crossCheck(_ entries: [AccountEntry]) -> [RowProblem] {
        var first: [String: Int] = [:]
        var out: [RowProblem] = []
        for e in entries {
            if let row = first[e.username.lowercased()] {
                out.append(RowProblem(row: e.row, column: AccountColumn.username, message: "用户名“\(e.username)”与第\(row)行重复"))
            } else { first[e.username.lowercased()] = e.row }
        }
        return out
    }
}
