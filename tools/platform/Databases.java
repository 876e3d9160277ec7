import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The databases of ./platform's data sets, without psql or any other PostgreSQL client: only a JDK and the
 * JDBC driver.
 *
 * <pre>
 * java -cp postgresql.jar tools/platform/Databases.java ensure      jdbc:postgresql://127.0.0.1:5432/postgres postgres product inventory
 * java -cp postgresql.jar tools/platform/Databases.java drop        jdbc:postgresql://127.0.0.1:5432/postgres postgres product_smoke
 * java -cp postgresql.jar tools/platform/Databases.java fingerprint jdbc:postgresql://127.0.0.1:5432/postgres postgres product orders
 * </pre>
 *
 * <ul>
 * <li>{@code ensure}: creates those that do not exist yet.</li>
 * <li>{@code drop}: drops those that exist, closing what is still connected to them (the smoke's own data set,
 * removed before and after its run; never the demo's).</li>
 * <li>{@code fingerprint}: one line per table of those that exist, with its row count and a digest of its rows
 * in any order: two fingerprints differ when any row was added, removed or changed. The smoke compares the
 * demo's before and after its run.</li>
 * </ul>
 *
 * The password, if the server wants one, comes from the environment variable DB_PASSWORD (never from the command
 * line, where every user of the machine could read it).
 */
public class Databases {

    // CREATE and DROP DATABASE take an identifier, not a bind parameter: accept only plain names.
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public static void main(String[] args) throws SQLException {
        if (args.length < 4 || !List.of("ensure", "drop", "fingerprint").contains(args[0])) {
            System.err.println("usage: Databases ensure|drop|fingerprint <jdbcUrl of an existing database> <user> <database>...");
            System.exit(2);
        }
        String command = args[0];
        String jdbcUrl = args[1];
        String user = args[2];
        List<String> databases = List.of(args).subList(3, args.length);
        for (String database : databases) {
            if (!PLAIN_NAME.matcher(database).matches()) {
                System.err.println("not a plain database name: " + database);
                System.exit(2);
            }
        }
        String password = System.getenv().getOrDefault("DB_PASSWORD", "");

        DriverManager.setLoginTimeout(10);
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            for (String database : databases) {
                boolean exists = exists(connection, database);
                switch (command) {
                    case "ensure" -> {
                        if (!exists) {
                            create(connection, database);
                        }
                        System.out.println("database " + database + ": " + (exists ? "exists" : "created"));
                    }
                    case "drop" -> {
                        if (exists) {
                            drop(connection, database);
                            System.out.println("database " + database + ": dropped");
                        }
                    }
                    default -> {
                        if (exists) {
                            fingerprint(jdbcUrl, user, password, database).forEach(System.out::println);
                        }
                    }
                }
            }
        }
    }

    private static boolean exists(Connection connection, String database) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, database);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void create(Connection connection, String database) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + database + "\"");
        } catch (SQLException e) {
            // 42P04 duplicate_database: another `./platform up` created it in the meantime; that is fine.
            if (!"42P04".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static void drop(Connection connection, String database) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // WITH (FORCE), PostgreSQL 13+: a service of a crashed run may still hold a connection.
            statement.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        }
    }

    // "database.schema.table rows digest" for every table outside PostgreSQL's own schemas, sorted by name. The
    // digest is over the rows' text forms, each hashed and then sorted, so the physical order of rows (which
    // VACUUM may change) does not matter.
    private static List<String> fingerprint(String jdbcUrl, String user, String password, String database)
            throws SQLException {
        String url = jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/') + 1) + database;
        List<String> lines = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement tables = connection.createStatement();
                ResultSet names = tables.executeQuery("""
                        SELECT table_schema, table_name FROM information_schema.tables
                        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
                        ORDER BY table_schema, table_name""")) {
            while (names.next()) {
                String table = quote(names.getString(1)) + "." + quote(names.getString(2));
                try (Statement rows = connection.createStatement();
                        ResultSet digest = rows.executeQuery("SELECT count(*), coalesce(string_agg(md5(t::text), ',' "
                                + "ORDER BY md5(t::text)), '') FROM " + table + " t")) {
                    digest.next();
                    lines.add(database + "." + names.getString(1) + "." + names.getString(2) + " " + digest.getLong(1)
                            + " rows " + md5(digest.getString(2)));
                }
            }
        }
        return lines;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
