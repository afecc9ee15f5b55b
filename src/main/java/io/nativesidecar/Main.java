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
        // Reading the sidecar catalogue loads Jackson's YAML support and builds the deserializers of its part of
        // the Kubernetes model: the largest single part of a command's run and of the server's start. Started
        // first, it runs beside the rest (argument parsing, reading manifests, Quarkus's own start-up), and the
        // first caller of Configuration.builtIn() finds it read or waits for the rest.
        inBackground("catalogue", Configuration::builtIn);
        if (args.length > 0 && ConvertCommand.NAME.equals(args[0])) {
            inBackground("pod-reader", ConvertCommand::prepare);
            // The CLI must open no port and start fast, so it never boots the Quarkus runtime.
            System.exit(ConvertCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && PrintConfigCommand.NAME.equals(args[0])) {
            System.exit(PrintConfigCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && ScanCommand.NAME.equals(args[0])) {
            System.exit(ScanCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        Quarkus.run(args);
    }

    /**
     * Runs {@code work} on a daemon thread of its own. Its failure is not reported there: whoever needs the result
     * does the work again on its own thread, meets the same error and reports it as it reports any other.
     */
    private static void inBackground(String name, Runnable work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                // reported by the caller that needs it, see above; never as a stack trace on stderr from here
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
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
