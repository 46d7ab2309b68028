package dev.vmprov;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import dev.vmprov.cli.ApiCommands;
import dev.vmprov.cli.LogsCommand;
import dev.vmprov.cli.RunCommand;
import dev.vmprov.cli.SubmitCommand;

/** The {@code vmprov} command: {@code run} the pipeline, {@code submit} a request. */
@Command(name = "vmprov", mixinStandardHelpOptions = true, version = "vmprov 0.1.0",
        description = "Provision VMs on libvirt from a Kafka event stream.",
        subcommands = {RunCommand.class, ApiCommands.Create.class, ApiCommands.Start.class, ApiCommands.Stop.class,
                ApiCommands.Reboot.class, ApiCommands.Delete.class, ApiCommands.ListVms.class, ApiCommands.Status.class,
                LogsCommand.class, SubmitCommand.class, CommandLine.HelpCommand.class})
public class Vmprov {

    /** Exit codes shared by the subcommands; the README lists them. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_CONFIG = 3;
    public static final int EXIT_UNAVAILABLE = 4;
    public static final int EXIT_TIMEOUT = 5;
    public static final int EXIT_NOT_FOUND = 6;
    public static final int EXIT_UNAUTHORIZED = 7;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Vmprov());
    }
}
