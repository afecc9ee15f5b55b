package io.nativesidecar;

import io.nativesidecar.cli.ConvertCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point: {@code convert ...} runs the offline CLI without starting Quarkus; anything else starts the server. */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        if (args.length > 0 && ConvertCommand.NAME.equals(args[0])) {
            // The CLI must open no port and start fast, so it never boots the Quarkus runtime.
            System.exit(ConvertCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        Quarkus.run(args);
    }
}
