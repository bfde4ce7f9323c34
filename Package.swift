// swift-tools-version:6.2
import PackageDescription

/// One set of compiler settings for every target: strict Swift 6 plus the upcoming
/// features the Hummingbird codebase adopts.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let postgres = Target.Dependency.product(name: "PostgresNIO", package: "postgres-nio")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let configuration = Target.Dependency.product(name: "Configuration", package: "swift-configuration")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

/// A deployable: its library (logic, migrations) in `services/<folder>/<library>` and its
/// thin executable in `services/<folder>/Main`.
func service(_ folder: String, library: String, dependencies: [Target.Dependency], resources: [Resource] = []) -> [Target] {
    [
        .target(
            name: library,
            dependencies: dependencies,
            path: "services/\(folder)/\(library)",
            resources: resources,
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: folder,
            dependencies: [.target(name: library), "ServiceKit", lifecycle, logging],
            path: "services/\(folder)/Main",
            swiftSettings: swiftSettings
        ),
    ]
}

let serviceBase: [Target.Dependency] = ["ServiceKit", "Messaging", "Storage", "DialogueContracts", postgres, lifecycle, logging, metrics]

let package = Package(
    name: "dialogue",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gateway", targets: ["gateway"]),
        .executable(name: "petitions-service", targets: ["petitions-service"]),
        .executable(name: "survey-service", targets: ["survey-service"]),
        .executable(name: "consultation-service", targets: ["consultation-service"]),
        .executable(name: "moderation-worker", targets: ["moderation-worker"]),
        .executable(name: "notification-worker", targets: ["notification-worker"]),
        .executable(name: "synthesis-reporter", targets: ["synthesis-reporter"]),
        .executable(name: "dialoguectl", targets: ["dialoguectl"]),
        .executable(name: "amqp-publish-bench", targets: ["amqp-publish-bench"]),
        .executable(name: "mail-rate-bench", targets: ["mail-rate-bench"]),
        .executable(name: "opinion-map-bench", targets: ["opinion-map-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // The only place that touches rabbitmq-c.
        .target(
            name: "CRabbitMQ",
            path: "Sources/CRabbitMQ",
            linkerSettings: [.linkedLibrary("rabbitmq")]
        ),
        // The only place that touches libcurl (SMTP).
        .target(
            name: "CCurl",
            path: "Sources/CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        // The only place that touches libstemmer (Snowball's stemmers, Debian's libstemmer-dev).
        .systemLibrary(name: "CStemmer", path: "Sources/CStemmer"),
        .target(
            name: "Messaging",
            dependencies: ["CRabbitMQ", lifecycle, logging, metrics, .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .target(name: "DialogueContracts", swiftSettings: swiftSettings),
        // The French words the site and the mails use for the contracts' vocabulary: UI copy
        // stays out of the contracts, and the gateway and the notification worker say the same.
        .target(name: "Wording", dependencies: ["DialogueContracts"], swiftSettings: swiftSettings),
        // Keyed signatures of the tokens people receive (CSRF, signed links).
        .target(name: "Signing", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        // The automatic pre-checks of moderation: pure text analysis, its French lexicon kept as data.
        .target(name: "ContentChecks", resources: [.copy("Lexicon")], swiftSettings: swiftSettings),
        // The plain-language hint of every builder: French readability scores and jargon, its list kept as data.
        .target(name: "PlainLanguage", resources: [.copy("Jargon")], swiftSettings: swiftSettings),
        // The rules of a survey definition and of its answers, shared by the gateway and survey-service.
        .target(name: "SurveyRules", dependencies: ["DialogueContracts"], resources: [.copy("Communes")], swiftSettings: swiftSettings),
        // The statistics of survey results: cross-tabs, independence tests, effect sizes, small-cell
        // protection and their plain-French reading, on counts PostgreSQL computed (Foundation only).
        .target(name: "SurveyStatistics", dependencies: ["MultipleTesting"], swiftSettings: swiftSettings),
        // Corrections for reading many tests at once, shared by survey statistics and the opinion map.
        .target(name: "MultipleTesting", swiftSettings: swiftSettings),
        // The opinion map of a forum's statements (PCA, k-means, representative and consensus
        // statements), pure computation for the synthesis reporter; its k-means and silhouette
        // are generic over points for other clusterings.
        .target(name: "OpinionMap", dependencies: ["MultipleTesting"], swiftSettings: swiftSettings),
        // French text trends: words, elisions, stop words (kept as data), Snowball stems, key words
        // and key phrases ranked by TF-IDF, and their weekly movement (synthesis-reporter).
        .target(name: "TextTrends", dependencies: ["CStemmer", "OpinionMap"], resources: [.copy("StopWords")], swiftSettings: swiftSettings),
        .target(
            name: "Storage",
            dependencies: ["Messaging", "DialogueContracts", postgres, lifecycle, logging, metrics],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ServiceKit",
            dependencies: [
                "Messaging", "Storage", "DialogueContracts", hummingbird, postgres, lifecycle, logging, metrics, configuration,
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
    + [
        // Accounts, sessions, API tokens, the audit log and password hashing over schema
        // `identity`: the gateway's store, also used by `dialoguectl` to create staff.
        .target(
            name: "Identity",
            dependencies: [
                "DialogueContracts", "Storage", "Signing", postgres, logging,
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "services/gateway/Identity",
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings
        ),
    ]
    + service(
        "gateway", library: "Gateway",
        dependencies: serviceBase + [
            hummingbird, "Identity", "Wording", "SurveyRules", "PlainLanguage", "SurveyStatistics",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Crypto", package: "swift-crypto"), "Signing",
        ],
        resources: [.copy("Templates"), .copy("Public"), .copy("openapi.json")]
    )
    + service("petitions-service", library: "PetitionsService", dependencies: serviceBase + ["Signing"], resources: [.copy("Migrations")])
    + service("survey-service", library: "SurveyService", dependencies: serviceBase + ["SurveyRules", "Signing"], resources: [.copy("Migrations")])
    + service("consultation-service", library: "ConsultationService", dependencies: serviceBase, resources: [.copy("Migrations")])
    + service("moderation-worker", library: "ModerationWorker", dependencies: serviceBase + ["ContentChecks"], resources: [.copy("Migrations")])
    + service(
        "notification-worker", library: "NotificationWorker",
        dependencies: serviceBase + [
            "CCurl", "Signing", "Wording", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Mustache", package: "swift-mustache"),
        ],
        resources: [.copy("Migrations"), .copy("MailTemplates")]
    )
    + service("synthesis-reporter", library: "SynthesisReporter", dependencies: serviceBase + ["TextTrends", "OpinionMap"], resources: [.copy("Migrations")])
    + service(
        "dialoguectl", library: "DialogueCtl",
        // Identity to create staff accounts; every service library, whose registered handlers
        // tell the catalogue the queues and bindings each needs.
        dependencies: serviceBase + [
            argumentParser, "Identity", "Gateway", "PetitionsService", "SurveyService", "ConsultationService", "ModerationWorker",
            "NotificationWorker", "SynthesisReporter", .product(name: "Crypto", package: "swift-crypto"),
        ]
    )
    + [
        .executableTarget(
            name: "amqp-publish-bench",
            dependencies: ["Messaging", "DialogueContracts", logging],
            path: "bench/amqp-publish",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mail-rate-bench",
            dependencies: ["Messaging", "DialogueContracts", postgres, logging],
            path: "bench/mail-rate",
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "opinion-map-bench", dependencies: ["OpinionMap"], path: "bench/opinion-map", swiftSettings: swiftSettings),
        .target(
            name: "TestSupport",
            dependencies: ["Messaging", "Storage", "ServiceKit", "DialogueContracts", "DialogueCtl", "NotificationWorker", postgres, logging, lifecycle],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ContentChecksTests", dependencies: ["ContentChecks"], swiftSettings: swiftSettings),
        .testTarget(name: "PlainLanguageTests", dependencies: ["PlainLanguage"], swiftSettings: swiftSettings),
        .testTarget(name: "SurveyRulesTests", dependencies: ["SurveyRules", "DialogueContracts"], swiftSettings: swiftSettings),
        .testTarget(name: "SurveyStatisticsTests", dependencies: ["SurveyStatistics", "MultipleTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "OpinionMapTests", dependencies: ["OpinionMap"], swiftSettings: swiftSettings),
        .testTarget(name: "TextTrendsTests", dependencies: ["TextTrends"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ServiceKitTests", dependencies: ["ServiceKit", "Messaging", "Storage", "DialogueContracts", "TestSupport", postgres, lifecycle, logging],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "DialogueCtlTests", dependencies: ["DialogueCtl", "ServiceKit", "Messaging", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "BrokerRestartTests", dependencies: ["Messaging", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BrokerClusterTests",
            dependencies: ["Messaging", "TestSupport", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport", "PetitionsService", "Gateway", "NotificationWorker", "SurveyService", "ConsultationService", "ModerationWorker", "SynthesisReporter", "DialogueCtl"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PetitionsServiceTests",
            dependencies: ["PetitionsService", "NotificationWorker", "TestSupport", "DialogueCtl", "ServiceKit", "Messaging", "DialogueContracts", postgres, lifecycle],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SurveyServiceTests",
            dependencies: ["SurveyService", "TestSupport", "DialogueCtl", "ServiceKit", "Messaging", "DialogueContracts", postgres, lifecycle],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SynthesisReporterTests",
            dependencies: ["SynthesisReporter", "TextTrends", "TestSupport", "DialogueCtl", "ServiceKit", "Messaging", "DialogueContracts", postgres, lifecycle],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConsultationServiceTests",
            dependencies: [
                "ConsultationService", "ModerationWorker", "TestSupport", "DialogueCtl", "ServiceKit", "Messaging", "DialogueContracts", postgres, lifecycle,
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NotificationWorkerTests",
            dependencies: ["NotificationWorker", "TestSupport", "DialogueCtl", "ServiceKit", "Messaging", "DialogueContracts", postgres, lifecycle],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ModerationWorkerTests",
            dependencies: [
                "ModerationWorker", "PetitionsService", "TestSupport", "DialogueCtl", "ServiceKit", "Messaging", "Storage", "DialogueContracts", postgres, lifecycle,
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "Identity", "PetitionsService", "SurveyService", "ConsultationService", "NotificationWorker", "ModerationWorker", "SynthesisReporter", "TextTrends", "TestSupport", "DialogueCtl", "ServiceKit", "Messaging", "DialogueContracts",
                postgres, lifecycle, hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
