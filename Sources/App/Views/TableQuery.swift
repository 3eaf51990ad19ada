// One table component for every long list (issue 11 §5): the same page size and "共 N 条" everywhere, search by name
// and code (`?q=`), sortable columns (`?sort=&dir=`), pages (`?page=`), nothing cut silently. A controller reads the
// request with `TableQuery`, pages its rows with `page(_:)`, and the template draws `#searchBox(…)`, `#sortable(…)`
// and `#pager()`, which keep the page's other query items (campaign, unit, week…).
import Leaf
import LiangbangCore
import Vapor

struct TableQuery: Sendable {
    static let pageSize = 50

    /// The search text, trimmed (at most 50 characters); empty for none.
    let q: String
    /// One of the keys the page allows, else its default.
    let sort: String
    let descending: Bool
    let page: Int

    /// `sorts` are the page's sortable column keys; the first is the default.
    init(_ req: Request, sorts: [String], descendingByDefault: Bool = false) throws {
        q = TextNormaliser.trim(String((req.query[String.self, at: "q"] ?? "").prefix(50)))
        let asked = req.query[String.self, at: "sort"]
        sort = asked.flatMap { sorts.contains($0) ? $0 : nil } ?? sorts.first ?? ""
        let dir = req.query[String.self, at: "dir"]
        descending = dir == "desc" || (dir != "asc" && asked == nil && descendingByDefault)
        page = try req.pageNumber()
    }

    /// True when the search is empty or any of `fields` contains it (case-insensitive): names and codes alike.
    func matches(_ fields: String?...) -> Bool {
        guard !q.isEmpty else { return true }
        return fields.contains { $0?.localizedCaseInsensitiveContains(q) == true }
    }

    /// Sorts by the chosen column (`key` gives each row's value for it), then keeps this page's rows; the pager
    /// (`#pager()`) learns the total. A page past the end shows the last one.
    func page<T>(_ rows: [T], request req: Request, key: (T, String) -> String) -> [T] {
        let sorted = rows.enumerated().sorted { a, b in
            let x = key(a.element, sort), y = key(b.element, sort)
            if x != y { return descending ? Self.before(y, x) : Self.before(x, y) }
            return a.offset < b.offset
        }.map(\.element)
        return window(sorted, total: sorted.count, request: req)
    }

    /// This page's rows of rows already in order (sorted by the database or by the page's own rule).
    func window<T>(_ rows: [T], total: Int, request req: Request) -> [T] {
        Array(rows.dropFirst(offset(total: total, request: req)).prefix(Self.pageSize))
    }

    /// For lists the database pages (`.range(offset ..< offset + pageSize)`): records the pager for `#pager()` and
    /// returns how many rows to skip; a page past the end shows the last one.
    func offset(total: Int, request req: Request) -> Int {
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let shown = min(page, pages)
        req.tablePager = TablePager(total: total, page: shown, pages: pages, pageSize: Self.pageSize)
        return (shown - 1) * Self.pageSize
    }

    /// Numbers as numbers (`9` before `10`), text in the order of its characters (Chinese by code point).
    static func before(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x < y }
        return a.localizedStandardCompare(b) == .orderedAscending
    }
}

struct TablePager: Sendable {
    let total: Int
    let page: Int
    let pages: Int
    let pageSize: Int
}

extension Request {
    private struct TablePagerKey: StorageKey { typealias Value = TablePager }
    var tablePager: TablePager? {
        get { storage[TablePagerKey.self] }
        set { storage[TablePagerKey.self] = newValue }
    }

    /// This page's URL with some query items replaced (nil removes one).
    func linkWith(_ changes: [String: String?]) -> String {
        var parts = URLComponents()
        var items = (URLComponents(string: url.string)?.queryItems ?? []).filter { !changes.keys.contains($0.name) }
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) { if let value { items.append(URLQueryItem(name: name, value: value)) } }
        parts.path = url.path
        parts.queryItems = items.isEmpty ? nil : items
        return parts.string ?? url.path
    }
}

/// `#pager()`: "共 N 条", the page and its neighbours; drawn for every list, one page or many.
struct PagerTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let req = ctx.request, let p = req.tablePager else { return .string("") }
        var s = "<nav class=\"pager\" aria-label=\"分页\"><span class=\"pager-total\">共 \(p.total) 条</span>"
        if p.pages > 1 {
            s += "<span>第 \(p.page)/\(p.pages) 页</span>"
            if p.page > 1 {
                s += "<a href=\"\(FieldErrorTag.escape(req.linkWith(["page": "1"])))\">首页</a>"
                s += "<a href=\"\(FieldErrorTag.escape(req.linkWith(["page": String(p.page - 1)])))\" rel=\"prev\">上一页</a>"
            }
            if p.page < p.pages {
                s += "<a href=\"\(FieldErrorTag.escape(req.linkWith(["page": String(p.page + 1)])))\" rel=\"next\">下一页</a>"
                s += "<a href=\"\(FieldErrorTag.escape(req.linkWith(["page": String(p.pages)])))\">末页</a>"
            }
        }
        return .string(s + "</nav>")
    }
}

/// `#sortable("key", "列名")`: a header cell whose link sorts by that column (again: the other way round).
struct SortableTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard ctx.parameters.count == 2, let key = ctx.parameters[0].string, let label = ctx.parameters[1].string else {
            throw AppError.invalid("#sortable 需要两个参数")
        }
        guard let req = ctx.request else { return .string("<th scope=\"col\">\(FieldErrorTag.escape(label))</th>") }
        let current = req.query[String.self, at: "sort"] == key
        let descending = current && req.query[String.self, at: "dir"] == "desc"
        let href = req.linkWith(["sort": key, "dir": current && !descending ? "desc" : "asc", "page": nil])
        let aria = current ? (descending ? "descending" : "ascending") : "none"
        let arrow = current ? (descending ? " ▼" : " ▲") : ""
        return .string("<th scope=\"col\" aria-sort=\"\(aria)\"><a class=\"sort\" data-sort=\"\(FieldErrorTag.escape(key))\" href=\"\(FieldErrorTag.escape(href))\">"
            + "\(FieldErrorTag.escape(label))<span aria-hidden=\"true\">\(arrow)</span></a></th>")
    }
}

/// `#searchBox("按学生姓名搜索")`: a GET form for `q` that keeps the page's other query items.
struct SearchBoxTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let hint = ctx.parameters.first?.string else { throw AppError.invalid("#searchBox 需要一个参数") }
        guard let req = ctx.request else { return .string("") }
        let q = req.query[String.self, at: "q"] ?? ""
        var s = "<form method=\"get\" action=\"\(FieldErrorTag.escape(req.url.path))\" class=\"inline-form table-search\" role=\"search\">"
        for item in URLComponents(string: req.url.string)?.queryItems ?? [] where !["q", "page"].contains(item.name) {
            s += "<input type=\"hidden\" name=\"\(FieldErrorTag.escape(item.name))\" value=\"\(FieldErrorTag.escape(item.value ?? ""))\">"
        }
        s += "<label>搜索<input type=\"search\" name=\"q\" class=\"table-q\" value=\"\(FieldErrorTag.escape(q))\" maxlength=\"50\" placeholder=\"\(FieldErrorTag.escape(hint))\"></label>"
        s += "<button type=\"submit\" class=\"secondary\">搜索</button>"
        if !q.isEmpty { s += "<a href=\"\(FieldErrorTag.escape(req.linkWith(["q": nil, "page": nil])))\">清除搜索</a>" }
        return .string(s + "</form>")
    }
}
