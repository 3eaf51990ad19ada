// The shape of every new list response: `{"items": [...], "total": n}` (with `page`/`per` where paged).
import Vapor

struct ItemList<Item: Content>: Content {
    let items: [Item]
    let total: Int

    init(items: [Item], total: Int) { self.items = items; self.total = total }
    /// An unpaged list: the total is its length.
    init(_ items: [Item]) { self.init(items: items, total: items.count) }
}
