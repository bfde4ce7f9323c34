import Foundation
public import Identity
public import ServiceKit

/// Settings of the HTTP edge.
public struct GatewaySettings: Sendable {
    /// Largest request body accepted, in bytes; more gets 413.
    public var bodyLimit: Int
    /// How long a petition read is served from memory: refreshes by thousands never reach the service.
    public var petitionCacheTTL: Duration
    /// How long past `petitionCacheTTL` a petition read is still answered while a fresh one is
    /// read: the petitions service may stop answering that long without a reader noticing.
    public var petitionCacheStaleLimit: Duration
    /// Longest wait for a service's answer before 503.
    public var rpcTimeout: Duration
    /// The address people reach the site at, for the links mailed to them.
    public var publicBaseURL: String
    /// `Secure` cookies; off only for a local run over plain HTTP.
    public var secureCookies: Bool
    /// Signs CSRF tokens; at least 32 characters, the same on every replica.
    public var secret: String
    public var sessionIdleTimeout: Duration
    public var sessionMaximumAge: Duration
    public var trustedProxies: TrustedProxies
    /// bcrypt work factor (12 in production; tests lower it).
    public var bcryptCost: UInt8
    public var rateLimits: RateLimits
    public var apiTokenLifetimeDays: Int
    /// How wrong passwords slow down the next sign-ins (no lockout).
    public var signInThrottle: SignInThrottle.Policy

    /// The per-client limits on sign-in, registration, reset and public writes.
    public struct RateLimits: Sendable {
        public var signIn = RateLimitRule(name: "sign-in", limit: 10, window: .seconds(300))
        public var registration = RateLimitRule(name: "registration", limit: 10, window: .seconds(3600))
        public var passwordReset = RateLimitRule(name: "password-reset", limit: 5, window: .seconds(3600))
        /// Signatures from one address on one petition: a family behind one box signs at
        /// once, a script goes on.
        public var signatureBurst = RateLimitRule(name: "signature-burst", limit: 10, window: .seconds(60))
        public var signatureSustained = RateLimitRule(name: "signature-sustained", limit: 40, window: .seconds(3600))
        /// Signatures from one mail domain on one petition (public providers are exempt).
        public var signatureDomain = RateLimitRule(name: "signature-domain", limit: 300, window: .seconds(60))
        /// Petitions a citizen's account may deposit (counted per account, not per address).
        public var petitionDeposit = RateLimitRule(name: "petition-deposit", limit: 5, window: .seconds(24 * 3600))
        /// Links to answer a survey without an account, asked from one client (the mails
        /// themselves are limited per recipient by the notification worker).
        public var surveyAnswerLink = RateLimitRule(name: "survey-answer-link", limit: 20, window: .seconds(3600))
        /// Workshop registrations from one client (a social centre registers a group; a script
        /// filling every seat stops; the mails are limited per recipient by the notification worker).
        public var workshopRegistration = RateLimitRule(name: "workshop-registration", limit: 30, window: .seconds(3600))

        public init() {}
    }

    public init(
        bodyLimit: Int = 64 * 1024, petitionCacheTTL: Duration = .seconds(2), petitionCacheStaleLimit: Duration = .seconds(600),
        rpcTimeout: Duration = .seconds(5),
        publicBaseURL: String = "http://localhost:8080", secureCookies: Bool = true, secret: String = SecretToken.generate(),
        sessionIdleTimeout: Duration = .seconds(4 * 3600), sessionMaximumAge: Duration = .seconds(30 * 24 * 3600),
        trustedProxies: TrustedProxies = TrustedProxies(), bcryptCost: UInt8 = 12, rateLimits: RateLimits = RateLimits(),
        apiTokenLifetimeDays: Int = 90, signInThrottle: SignInThrottle.Policy = SignInThrottle.Policy()
    ) {
        self.bodyLimit = bodyLimit
        self.petitionCacheTTL = petitionCacheTTL
        self.petitionCacheStaleLimit = petitionCacheStaleLimit
        self.rpcTimeout = rpcTimeout
        self.publicBaseURL = publicBaseURL
        self.secureCookies = secureCookies
        self.secret = secret
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionMaximumAge = sessionMaximumAge
        self.trustedProxies = trustedProxies
        self.bcryptCost = bcryptCost
        self.rateLimits = rateLimits
        self.apiTokenLifetimeDays = apiTokenLifetimeDays
        self.signInThrottle = signInThrottle
    }

    /// Reads `GATEWAY_SECRET` (required), `PUBLIC_BASE_URL`, `COOKIE_SECURE`, `SESSION_IDLE_MINUTES`,
    /// `SESSION_MAX_AGE_HOURS`, `TRUSTED_PROXIES`, `BCRYPT_COST`, `RATE_LIMIT_SIGN_IN`,
    /// `RATE_LIMIT_REGISTRATION`, `RATE_LIMIT_PASSWORD_RESET`, `RATE_LIMIT_SIGNATURE_BURST`, `RATE_LIMIT_SIGNATURE_SUSTAINED`, `RATE_LIMIT_SIGNATURE_DOMAIN`, `RATE_LIMIT_PETITION_DEPOSIT` (each
    /// `<count>/<seconds>`), `API_TOKEN_DAYS`, `HTTP_BODY_LIMIT`, `PETITION_CACHE_TTL_MS`, `PETITION_CACHE_STALE_S`, `RPC_TIMEOUT_MS`,
    /// `SIGN_IN_FREE_FAILURES`, `SIGN_IN_MAX_DELAY_MS`.
    public init(reader: inout SettingsReader) {
        let secret = reader.required("GATEWAY_SECRET", secret: true)
        if !secret.isEmpty, secret.count < 32 {
            reader.report("GATEWAY_SECRET must be at least 32 characters long")
        }
        let baseURL = reader.optional("PUBLIC_BASE_URL", default: "http://localhost:8080")
        if URL(string: baseURL)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            reader.report("PUBLIC_BASE_URL must be an http:// or https:// address, not \"\(baseURL)\"")
        }
        let secure = reader.optional("COOKIE_SECURE", default: "true").lowercased()
        if !["true", "false"].contains(secure) {
            reader.report("COOKIE_SECURE must be true or false, not \"\(secure)\"")
        }
        let proxies = reader.optional("TRUSTED_PROXIES", default: "")
        let trusted = TrustedProxies(list: proxies)
        if trusted == nil {
            reader.report("TRUSTED_PROXIES must be a comma-separated list of IP addresses or IPv4 networks (10.0.0.0/8)")
        }
        var limits = RateLimits()
        limits.signIn = Self.rule(limits.signIn, "RATE_LIMIT_SIGN_IN", &reader)
        limits.registration = Self.rule(limits.registration, "RATE_LIMIT_REGISTRATION", &reader)
        limits.passwordReset = Self.rule(limits.passwordReset, "RATE_LIMIT_PASSWORD_RESET", &reader)
        limits.signatureBurst = Self.rule(limits.signatureBurst, "RATE_LIMIT_SIGNATURE_BURST", &reader)
        limits.signatureSustained = Self.rule(limits.signatureSustained, "RATE_LIMIT_SIGNATURE_SUSTAINED", &reader)
        limits.signatureDomain = Self.rule(limits.signatureDomain, "RATE_LIMIT_SIGNATURE_DOMAIN", &reader)
        limits.petitionDeposit = Self.rule(limits.petitionDeposit, "RATE_LIMIT_PETITION_DEPOSIT", &reader)
        self.init(
            bodyLimit: reader.integer("HTTP_BODY_LIMIT", default: 64 * 1024, in: 1024...(10 * 1024 * 1024)),
            petitionCacheTTL: .milliseconds(reader.integer("PETITION_CACHE_TTL_MS", default: 2000, in: 0...60_000)),
            petitionCacheStaleLimit: .seconds(reader.integer("PETITION_CACHE_STALE_S", default: 600, in: 0...3600)),
            rpcTimeout: .milliseconds(reader.integer("RPC_TIMEOUT_MS", default: 5000, in: 100...60_000)),
            publicBaseURL: baseURL,
            secureCookies: secure != "false",
            secret: secret,
            sessionIdleTimeout: .seconds(60 * reader.integer("SESSION_IDLE_MINUTES", default: 240, in: 5...(7 * 24 * 60))),
            sessionMaximumAge: .seconds(3600 * reader.integer("SESSION_MAX_AGE_HOURS", default: 720, in: 1...(90 * 24))),
            trustedProxies: trusted ?? TrustedProxies(),
            bcryptCost: UInt8(reader.integer("BCRYPT_COST", default: 12, in: 4...16)),
            rateLimits: limits,
            apiTokenLifetimeDays: reader.integer("API_TOKEN_DAYS", default: 90, in: 1...366),
            signInThrottle: SignInThrottle.Policy(
                freeFailures: reader.integer("SIGN_IN_FREE_FAILURES", default: 3, in: 0...100),
                maximumDelay: .milliseconds(reader.integer("SIGN_IN_MAX_DELAY_MS", default: 3000, in: 0...10_000))
            )
        )
    }

    private static func rule(_ rule: RateLimitRule, _ variable: String, _ reader: inout SettingsReader) -> RateLimitRule {
        let text = reader.optional(variable, default: "")
        guard !text.isEmpty else { return rule }
        let parts = text.split(separator: "/")
        guard parts.count == 2, let count = Int(parts[0]), let seconds = Int(parts[1]), count > 0, seconds > 0 else {
            reader.report("\(variable) must read <count>/<seconds>, e.g. 10/300, not \"\(text)\"")
            return rule
        }
        return RateLimitRule(name: rule.name, limit: count, window: .seconds(seconds))
    }
}
