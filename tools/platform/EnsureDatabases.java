import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Creates the databases the services need, when they do not exist yet. Used by ./platform so that
 * neither psql nor any other PostgreSQL client has to be installed: only a JDK and the JDBC driver.
 *
 * <pre>
 * java -cp postgresql.jar tools/platform/EnsureDatabases.java jdbc:postgresql://127.0.0.1:5432/postgres postgres product inventory
 * </pre>
 *
 * The password, if the server wants one, comes from the environment variable DB_PASSWORD (never from
 * the command line, where every user of the machine could read it).
 */
public class EnsureDatabases {

    // CREATE DATABASE takes an identifier, not a bind parameter: accept only plain names.
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public static void main(String[] args) throws SQLException {
        if (args.length < 3) {
            System.err.println("usage: EnsureDatabases <jdbcUrl of an existing database> <user> <database>...");
            System.exit(2);
        }
        String jdbcUrl = args[0];
        String user = args[1];
        List<String> databases = List.of(args).subList(2, args.length);
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
                if (exists(connection, database)) {
                    System.out.println("database " + database + ": exists");
                } else {
                    create(connection, database);
                    System.out.println("database " + database + ": created");
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
}
