package io.bulwark.ctl;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code completion bash|zsh}: a completion script for every subcommand and option (picocli's generator; the
 * script loads {@code bashcompinit} itself under zsh). Install with {@code source <(bulwarkctl completion bash)}.
 * patronictl has no such command (click offers completion through an environment variable instead).
 */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = BulwarkCtl.Version.class,
        description = "Print a shell completion script: source <(bulwarkctl completion bash)")
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "Shell: ${COMPLETION-CANDIDATES}")
    Shell shell;

    @Spec
    CommandSpec spec;

    private final BulwarkCtl root;

    CompletionCommand(BulwarkCtl root) {
        this.root = root;
    }

    @Override
    public Integer call() {
        root.out.print(AutoComplete.bash("bulwarkctl", spec.root().commandLine()));
        return 0;
    }
}
