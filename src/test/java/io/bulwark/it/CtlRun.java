package io.bulwark.it;

import io.bulwark.ctl.BulwarkCtl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One bulwarkctl command run in-process against a node's config file: exit code and both outputs. */
record CtlRun(int code, String out, String err) {

    static CtlRun ctl(AgentNode node, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = node.config().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = BulwarkCtl.run(all, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), io.bulwark.ctl.DcsFactory::open);
        return new CtlRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Output and error text, for assertion messages. */
    String text() {
        return out + err;
    }
}
