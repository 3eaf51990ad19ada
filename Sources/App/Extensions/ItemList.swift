// The shape of every new list response: `{"items": [...], "total": n}` (with `page`/`per` where paged).
import Vapor

struct ItemList<Item: Content>: Content {
    let items: [Item]
    let total: Int
}
