// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "liangbang",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "liangbang", targets: ["liangbang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // The inflate workaround in Spreadsheet/ZipReader.swift was written against 0.9.20: stay on that minor version.
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", .upToNextMinor(from: "0.9.20")),
    ],
    targets: [
        // Pure domain rules: no Vapor, no Fluent, fast unit tests.
        .target(name: "LiangbangCore"),
        // xlsx / csv / docx reading and writing; no Vapor.
        .target(
            name: "Spreadsheet",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(
            name: "App",
            dependencies: [
                "LiangbangCore",
                "Spreadsheet",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(name: "liangbang", dependencies: ["App"]),
        .executableTarget(name: "spreadsheet-fuzz", dependencies: ["Spreadsheet"], path: "Sources/spreadsheet-fuzz"),
        .testTarget(name: "LiangbangCoreTests", dependencies: ["LiangbangCore"]),
        .testTarget(
            name: "SpreadsheetTests",
            dependencies: ["Spreadsheet", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Corpus"]
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
