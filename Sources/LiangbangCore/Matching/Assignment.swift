// The exact solver behind every 智能结对: a bipartite b-matching (each left node wants up to `demand` partners,
// each right node takes up to `capacity`) that first matches as many as the edges allow, and among those
// maximises the total edge value. Min-cost max-flow by successive shortest paths (primal-dual): Dijkstra on
// reduced costs, stopped at the sink, then every zero-reduced-cost path of that length augmented in one pass.

public enum Assignment {
    public struct Edge: Sendable, Equatable {
        public let left: Int32
        public let right: Int32
        /// Higher is better; ≥ 0.
        public let value: Int64
        public init(left: Int, right: Int, value: Int64) {
            self.left = Int32(left); self.right = Int32(right); self.value = value
        }
    }

    public struct Result: Sendable, Equatable {
        /// Indices into the edge list, ascending.
        public let chosen: [Int]
        public let totalValue: Int64
        /// Dijkstra passes (for the performance notes).
        public let phases: Int
    }

    /// Max-cardinality, then max-value b-matching. Deterministic: the same input gives the same choice.
    /// Edges between the same two nodes count once (the first is kept).
    public static func solve(demand: [Int], capacity: [Int], edges: [Edge]) -> Result {
        let nl = demand.count, nr = capacity.count
        let maxValue = edges.reduce(Int64(0)) { max($0, $1.value) }
        // Shifting every middle arc by the same constant changes every s–t augmenting path by exactly that constant
        // (one more forward than backward middle arc), so the optimum is unchanged and all costs start ≥ 0.
        var net = Network(nodes: nl + nr + 2)
        let s = nl + nr, t = nl + nr + 1
        for (l, d) in demand.enumerated() where d > 0 { net.add(s, l, cap: Int32(min(d, Int(Int32.max))), cost: 0) }
        for (r, c) in capacity.enumerated() where c > 0 { net.add(nl + r, t, cap: Int32(min(c, Int(Int32.max))), cost: 0) }
        var middle: [Int32] = Array(repeating: -1, count: edges.count)
        var seen = Set<Int64>()
        for (i, e) in edges.enumerated() {
            guard e.left >= 0, Int(e.left) < nl, e.right >= 0, Int(e.right) < nr, e.value >= 0 else { continue }
            guard seen.insert(Int64(e.left) << 32 | Int64(e.right)).inserted else { continue }
            middle[i] = Int32(net.add(Int(e.left), nl + Int(e.right), cap: 1, cost: maxValue - e.value))
        }
        net.finish()
        let phases = net.minCostMaxFlow(source: s, sink: t)
        var chosen: [Int] = []
        var total: Int64 = 0
        for (i, arc) in middle.enumerated() where arc >= 0 && net.flow(Int(arc)) > 0 {
            chosen.append(i); total += edges[i].value
        }
        return Result(chosen: chosen, totalValue: total, phases: phases)
    }
}

/// A residual network in compressed rows: each arc and its reverse side by side.
struct Network {
    private let n: Int
    // Arcs as added, then sorted into rows by `finish`.
    private var from: [Int32] = [], to: [Int32] = [], cap: [Int32] = [], cost: [Int64] = []
    private var start: [Int32] = []
    private var order: [Int32] = []      // arc id → position in rows
    private var rowTo: [Int32] = [], rowCap: [Int32] = [], rowCost: [Int64] = [], rowRev: [Int32] = []
    private var initialCap: [Int32] = []

    init(nodes: Int) { n = nodes }

    /// Adds an arc; returns its id.
    mutating func add(_ u: Int, _ v: Int, cap c: Int32, cost w: Int64) -> Int {
        from.append(Int32(u)); to.append(Int32(v)); cap.append(c); cost.append(w)
        return from.count - 1
    }

    mutating func finish() {
        let m = from.count
        var degree = [Int32](repeating: 0, count: n + 1)
        for i in 0..<m { degree[Int(from[i]) + 1] += 1; degree[Int(to[i]) + 1] += 1 }
        for i in 0..<n { degree[i + 1] += degree[i] }
        start = degree
        var fill = Array(degree.prefix(n))
        rowTo = .init(repeating: 0, count: 2 * m); rowCap = .init(repeating: 0, count: 2 * m)
        rowCost = .init(repeating: 0, count: 2 * m); rowRev = .init(repeating: 0, count: 2 * m)
        order = .init(repeating: 0, count: m)
        for i in 0..<m {
            let u = Int(from[i]), v = Int(to[i])
            let a = Int(fill[u]); fill[u] += 1
            let b = Int(fill[v]); fill[v] += 1
            rowTo[a] = Int32(v); rowCap[a] = cap[i]; rowCost[a] = cost[i]; rowRev[a] = Int32(b)
            rowTo[b] = Int32(u); rowCap[b] = 0; rowCost[b] = -cost[i]; rowRev[b] = Int32(a)
            order[i] = Int32(a)
        }
        initialCap = cap
        from = []; to = []; cap = []; cost = []
    }

    func flow(_ arc: Int) -> Int32 { initialCap[arc] - rowCap[Int(order[arc])] }

    /// Returns the number of Dijkstra passes.
    mutating func minCostMaxFlow(source s: Int, sink t: Int) -> Int {
        let inf = Int64.max / 4
        var pi = [Int64](repeating: 0, count: n)
        var dist = [Int64](repeating: inf, count: n)
        var settled = [Bool](repeating: false, count: n)
        var touched: [Int32] = []
        var heap = MinHeap()
        var visited = [Int32](repeating: 0, count: n)
        var current = [Int32](repeating: 0, count: n)
        var parentArc = [Int32](repeating: -1, count: n)
        var phases = 0
        var stamp: Int32 = 0
        while true {
            phases += 1
            // Dijkstra on reduced costs, stopped once the sink is settled.
            for v in touched { dist[Int(v)] = inf; settled[Int(v)] = false }
            touched.removeAll(keepingCapacity: true)
            heap.clear()
            dist[s] = 0; touched.append(Int32(s)); heap.push(0, Int32(s))
            var sinkDist = inf
            rowTo.withUnsafeBufferPointer { to in rowCap.withUnsafeBufferPointer { cap in rowCost.withUnsafeBufferPointer { cost in
                start.withUnsafeBufferPointer { start in
                    while let (d, u32) = heap.pop() {
                        let u = Int(u32)
                        if settled[u] || d > dist[u] { continue }
                        settled[u] = true
                        if u == t { sinkDist = d; break }
                        let pu = pi[u]
                        for a in Int(start[u])..<Int(start[u + 1]) where cap[a] > 0 {
                            let v = Int(to[a])
                            if settled[v] { continue }
                            let nd = d + cost[a] + pu - pi[v]
                            if nd < dist[v] {
                                if dist[v] == inf { touched.append(Int32(v)) }
                                dist[v] = nd; heap.push(nd, Int32(v))
                            }
                        }
                    }
                }
            } } }
            if sinkDist == inf { break }
            // Potentials: settled nodes move by their distance, the rest by the sink's; reduced costs stay ≥ 0.
            for v in 0..<n { pi[v] += settled[v] ? dist[v] : sinkDist }
            // Augment along zero-reduced-cost paths until none is left from the source (each node tried once).
            stamp &+= 1
            for v in 0..<n { current[v] = start[v] }
            var augmented = false
            while true {
                // Iterative DFS from s over admissible arcs.
                var path: [Int32] = [Int32(s)]
                visited[s] = stamp
                var found = false
                while let top = path.last {
                    let u = Int(top)
                    if u == t { found = true; break }
                    var advanced = false
                    while current[u] < start[u + 1] {
                        let a = Int(current[u])
                        let v = Int(rowTo[a])
                        if rowCap[a] > 0 && visited[v] != stamp && rowCost[a] + pi[u] - pi[v] == 0 {
                            visited[v] = stamp; parentArc[v] = Int32(a); path.append(Int32(v)); advanced = true
                            break
                        }
                        current[u] += 1
                    }
                    if !advanced {
                        path.removeLast()
                        if let back = path.last { current[Int(back)] += 1 }
                    }
                }
                guard found else { break }
                // Bottleneck, then push.
                var bottleneck = Int32.max
                for v in path.dropFirst() { bottleneck = min(bottleneck, rowCap[Int(parentArc[Int(v)])]) }
                for v in path.dropFirst() {
                    let a = Int(parentArc[Int(v)])
                    rowCap[a] -= bottleneck; rowCap[Int(rowRev[a])] += bottleneck
                }
                augmented = true
                // The sink may be entered again; nodes on the path stay usable through their remaining arcs.
                visited[t] = stamp &- 1
                for v in path.dropLast() { visited[Int(v)] = stamp &- 1 }
            }
            if !augmented { break }  // cannot happen with exact arithmetic; guards against a loop
        }
        return phases
    }
}

/// A binary heap of (distance, node), lazily deleted.
struct MinHeap {
    private var keys: [Int64] = []
    private var values: [Int32] = []

    mutating func clear() { keys.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true) }

    mutating func push(_ key: Int64, _ value: Int32) {
        keys.append(key); values.append(value)
        var i = keys.count - 1
        while i > 0 {
            let p = (i - 1) >> 1
            if keys[p] < key || (keys[p] == key && values[p] <= value) { break }
            keys[i] = keys[p]; values[i] = values[p]; i = p
        }
        keys[i] = key; values[i] = value
    }

    mutating func pop() -> (Int64, Int32)? {
        guard let lastKey = keys.last, let lastValue = values.last else { return nil }
        let top = (keys[0], values[0])
        keys.removeLast(); values.removeLast()
        let n = keys.count
        if n > 0 {
            var i = 0
            while true {
                var c = 2 * i + 1
                if c >= n { break }
                if c + 1 < n && (keys[c + 1] < keys[c] || (keys[c + 1] == keys[c] && values[c + 1] < values[c])) { c += 1 }
                if lastKey < keys[c] || (lastKey == keys[c] && lastValue <= values[c]) { break }
                keys[i] = keys[c]; values[i] = values[c]; i = c
            }
            keys[i] = lastKey; values[i] = lastValue
        }
        return top
    }
}
