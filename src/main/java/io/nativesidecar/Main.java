package io.nativesidecar;

import io.nativesidecar.cli.ConvertCommand;
import io.nativesidecar.cli.PrintConfigCommand;
import io.nativesidecar.profile.Configuration;
import io.nativesidecar.scan.ScanCommand;
import io.quarkus.bootstrap.logging.InitialConfigurator;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Arrays;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point: {@code convert ...}, {@code print-config ...} and {@code scan ...} run as commands
 * without starting Quarkus (no port opened); anything else starts the server.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    private static final Set<String> COMMANDS = Set.of(ConvertCommand.NAME, PrintConfigCommand.NAME, ScanCommand.NAME);

    public static void main(String... args) {
        if (args.length > 0 && COMMANDS.contains(args[0])) {
            commandLogging();
        }
        if (args.length > 0 && ConvertCommand.NAME.equals(args[0])) {
            // The CLI must open no port and start fast, so it never boots the Quarkus runtime.
            System.exit(ConvertCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && PrintConfigCommand.NAME.equals(args[0])) {
            System.exit(PrintConfigCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && ScanCommand.NAME.equals(args[0])) {
            System.exit(ScanCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        // Reading the sidecar catalogue loads Jackson's YAML support and the Kubernetes model's
        // deserializers; started first, it runs beside Quarkus's own start-up instead of inside it,
        // and CurrentEngine finds it read (or waits for the rest).
        Thread catalogue = new Thread(Configuration::builtIn, "catalogue");
        catalogue.setDaemon(true);
        catalogue.start();
        Quarkus.run(args);
    }

    /**
     * Commands never start Quarkus, so nothing ever hands its start-up log handler the real handlers, and until
     * then it keeps every record of every level: a scan of a large cluster filled its heap with fabric8's debug
     * records (bench/README.md, run-scan.sh). Commands print their own messages and errors; libraries' logging is
     * turned off, so no record is even built.
     */
    private static void commandLogging() {
        // On JDK 24 and later Netty's use of sun.misc.Unsafe makes the JVM print four warning lines on stderr,
        // where a command's errors are one line; commands need none of Netty's speed.
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
        Logger.getLogger("").setLevel(Level.OFF);
        InitialConfigurator.DELAYED_HANDLER.setHandlers(new Handler[0]);
    }
}
