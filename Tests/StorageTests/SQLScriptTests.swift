import Storage
import Testing

@Suite struct SQLScriptTests {
    @Test func splitsAtTopLevelSemicolonsAndTrims() {
        let statements = SQLScript.statements(in: "CREATE TABLE a (id int);\n\n  CREATE TABLE b (id int) ;\nSELECT 1")

        #expect(statements == ["CREATE TABLE a (id int)", "CREATE TABLE b (id int)", "SELECT 1"])
    }

    @Test func semicolonInsideAStringLiteralDoesNotSplit() {
        let statements = SQLScript.statements(in: "INSERT INTO t VALUES ('a;b'); SELECT 'it''s; fine'; SELECT ''")

        #expect(statements == ["INSERT INTO t VALUES ('a;b')", "SELECT 'it''s; fine'", "SELECT ''"])
    }

    @Test func semicolonInsideAQuotedIdentifierDoesNotSplit() {
        let statements = SQLScript.statements(in: #"CREATE TABLE "odd;name" ("col""; x" int); SELECT "odd;name".* FROM "odd;name""#)

        #expect(statements == [#"CREATE TABLE "odd;name" ("col""; x" int)"#, #"SELECT "odd;name".* FROM "odd;name""#])
    }

    @Test func dollarQuotedBodyIsOneStatement() {
        let function = """
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.updated_at := now();
                RETURN NEW;
            END;
            $$
            """
        let statements = SQLScript.statements(in: function + ";\nSELECT 1;")

        #expect(statements == [function, "SELECT 1"])
    }

    @Test func taggedDollarQuoteMayContainPlainDollarQuotesAndSemicolons() {
        let block = """
            DO $outer$
            BEGIN
                EXECUTE $$CREATE TABLE x (id int); CREATE TABLE y (id int)$$;
                RAISE NOTICE 'done; really';
            END
            $outer$
            """
        let statements = SQLScript.statements(in: block + "; SELECT $tag$;$tag$;")

        #expect(statements == [block, "SELECT $tag$;$tag$"])
    }

    @Test func commentsDoNotSplitAndQuotesInCommentsDoNotOpenLiterals() {
        let statements = SQLScript.statements(in: """
            -- a comment; with a semicolon and an apostrophe: it's
            CREATE TABLE a (id int); -- trailing; comment
            SELECT /* inline; comment, don't split */ 1;
            /* a block
               comment; over lines */ SELECT 2;
            """)

        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("CREATE TABLE a (id int)"))
        #expect(statements[1] == "-- trailing; comment\nSELECT /* inline; comment, don't split */ 1")
        #expect(statements[2].hasSuffix("SELECT 2"))
        #expect(statements[2].hasPrefix("/* a block"))
    }

    @Test func positionalParametersAreNotDollarTags() {
        let statements = SQLScript.statements(in: "PREPARE p AS SELECT $1 + $2; SELECT $3;\nSELECT 4")

        #expect(statements == ["PREPARE p AS SELECT $1 + $2", "SELECT $3", "SELECT 4"])
    }

    @Test func emptyStatementsAndCommentOnlyChunksAreDropped() {
        let statements = SQLScript.statements(in: """
            ;;
              ;
            SELECT 1;;
            -- nothing after this
            -- but comments
            """)

        #expect(statements == ["SELECT 1"])
    }

    @Test func emptyScriptHasNoStatements() {
        #expect(SQLScript.statements(in: "").isEmpty)
        #expect(SQLScript.statements(in: "  \n\t ").isEmpty)
        #expect(SQLScript.statements(in: "-- only a comment").isEmpty)
    }

    @Test func theServiceMigrationsSplitIntoTheirStatements() throws {
        let set = try SchemaMigrations(schema: "petitions", directory: nil)
        let platform = try #require(set.migrations.first)

        // outbox, its index, the notify function, its trigger, inbox
        #expect(SQLScript.statements(in: platform.sql).count == 5)
    }
}

@Suite struct SQLScriptEdgeCaseTests {
    @Test func backslashEscapedQuotesInEStringsDoNotEndTheString() {
        let statements = SQLScript.statements(in: "INSERT INTO t VALUES (E'it\\'s; fine'); SELECT 1;")
        #expect(statements == ["INSERT INTO t VALUES (E'it\\'s; fine')", "SELECT 1"])
    }

    @Test func dollarInsideAnIdentifierIsNotADollarQuote() {
        let statements = SQLScript.statements(in: "SELECT a$b$c FROM t; SELECT 2;")
        #expect(statements == ["SELECT a$b$c FROM t", "SELECT 2"])
    }

    @Test func chunkOfBlockCommentsIsDropped() {
        #expect(SQLScript.statements(in: "SELECT 1; /* the end */\n-- really\n") == ["SELECT 1"])
    }
}
