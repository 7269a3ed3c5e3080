import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local as the local stack runs it: on 127.0.0.1 only, owner-only files, one instance per data folder, and
 * never outliving the process that started it.
 *
 * <p>DynamoDB Local's command line has no bind address (its options: -cors, -dbPath, -delayTransientStatuses, -help,
 * -inMemory, -optimizeDbBeforeStartup, -port, -sharedDb, -disableTelemetry, -version), and its DynamoDBProxyServer
 * makes a Jetty {@code Server(port)}, whose connector listens on every interface. With the accept-any-credentials
 * service behind it, anyone on the network could read and write the table. So this launcher builds the server the way
 * DynamoDB Local's own main does (ServerRunner.createServerFromCommandLineArgs), sets its Jetty connector's host to
 * 127.0.0.1 before it starts, and refuses to start when the server has a connector it does not know.
 *
 * <p>Arguments: the lock file, then DynamoDB Local's own arguments (which must include -dbPath).
 *
 * <p>It exits when its standard input ends or its parent process changes: the stack holds the write end of that pipe,
 * and the kernel closes it however the stack ends, kill -9 included. It holds an exclusive lock on the lock file, whose
 * content is "pid parentPid", so a second instance on the same data folder refuses to start (exit code 3) instead of
 * sharing the SQLite file.
 */
public class LoopbackDynamoDbLocal {
  private static final String LOOPBACK = "127.0.0.1";
  private static final int EXIT_LOCKED = 3;
  private static final int EXIT_UNEXPECTED_SERVER = 4;

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: LoopbackDynamoDbLocal <lock file> <DynamoDB Local arguments>");
      System.exit(2);
    }
    Path lockFile = Path.of(args[0]);
    String[] serverArgs = Arrays.copyOfRange(args, 1, args.length);
    long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);

    FileChannel lockChannel = openOwnerOnly(lockFile);
    FileLock lock = lockChannel.tryLock();
    if (lock == null) {
      System.err.println("LOCKED " + Files.readString(lockFile, StandardCharsets.UTF_8).trim());
      System.exit(EXIT_LOCKED);
    }
    lockChannel.truncate(0);
    lockChannel.write(
        ByteBuffer.wrap((ProcessHandle.current().pid() + " " + parent + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    lockChannel.force(true);

    String dbPath = argumentAfter(serverArgs, "-dbPath");
    if (dbPath != null) {
      // SQLite gives its -wal and -shm files the database file's permissions, so an owner-only database is enough.
      Path database = Path.of(dbPath, "shared-local-instance.db");
      openOwnerOnly(database).close();
      if (!usesWriteAheadLog(database)) {
        String mode = enableWriteAheadLogInOwnJvm(database);
        if (!"wal".equals(mode)) System.err.println("journal mode stays " + mode);
      }
    }

    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(serverArgs);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length == 0) {
      System.err.println("DynamoDB Local has no connector to bind to " + LOOPBACK);
      System.exit(EXIT_UNEXPECTED_SERVER);
    }
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) {
        System.err.println("DynamoDB Local has a connector this launcher cannot bind: " + connector);
        System.exit(EXIT_UNEXPECTED_SERVER);
      }
      ((ServerConnector) connector).setHost(LOOPBACK);
    }

    watchParent(parent);
    proxy.start();
    System.out.println("LISTENING " + LOOPBACK);
  }

  /** Opens (creating if needed) a file that only its owner can read or write, and makes an existing one so. */
  private static FileChannel openOwnerOnly(Path file) throws IOException {
    if (!Files.exists(file)) {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // Another process made it first: the permissions are set below either way.
      }
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /**
   * SQLite records WAL mode in the file header: bytes 18 and 19 (file format write and read versions) are 2. An empty
   * file is a database not yet created, so not in WAL mode.
   */
  private static boolean usesWriteAheadLog(Path database) throws IOException {
    try (FileChannel channel = FileChannel.open(database, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(20);
      while (header.hasRemaining() && channel.read(header) >= 0) {
        // Read until the 20 bytes are in or the file ends.
      }
      return header.position() == 20 && header.get(18) == 2 && header.get(19) == 2;
    }
  }

  /**
   * Runs WriteAheadLog in a JVM of its own. In this JVM it would load sqlite4java's native library from
   * java.library.path, and DynamoDB Local then loads its own extracted copy of the same library: two copies in one
   * process, whose JNI methods bind to either, crashed DynamoDB Local at start (SIGSEGV in sqlite3_exec, about one
   * start in ten on a loaded machine). A file already in WAL mode never gets here, so this costs a JVM start only on a
   * new or converted data folder.
   */
  private static String enableWriteAheadLogInOwnJvm(Path database) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Djava.library.path=" + System.getProperty("java.library.path"),
                "-cp",
                System.getProperty("java.class.path"),
                "WriteAheadLog",
                database.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    child.getOutputStream().close();
    String answer = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    int status = child.waitFor();
    return status == 0 ? answer : "exit " + status;
  }

  private static String argumentAfter(String[] args, String name) {
    for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
    return null;
  }

  /**
   * Standard input reaching its end means the stack is gone (its end of the pipe is closed by the kernel however it
   * ended); a new parent pid means the same for a parent that did not hold the pipe. Either way the data folder is
   * no longer looked after, so this instance stops. Both watchers are daemon threads: they do not keep Java alive.
   */
  private static void watchParent(long parent) {
    Thread stdin =
        new Thread(
            () -> {
              try {
                byte[] buffer = new byte[256];
                while (System.in.read(buffer) >= 0) {
                  // Nothing is sent on this pipe; reading only waits for its end.
                }
              } catch (IOException closed) {
                // A broken pipe is the same news as its end.
              }
              Runtime.getRuntime().halt(0);
            },
            "stack-stdin-watchdog");
    stdin.setDaemon(true);
    stdin.start();
    Thread parentWatch =
        new Thread(
            () -> {
              for (; ; ) {
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (now != parent) Runtime.getRuntime().halt(0);
                try {
                  Thread.sleep(500);
                } catch (InterruptedException stop) {
                  return;
                }
              }
            },
            "stack-parent-watchdog");
    parentWatch.setDaemon(true);
    parentWatch.start();
  }
}
