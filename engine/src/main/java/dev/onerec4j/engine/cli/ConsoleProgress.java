package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.tokenizer.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/** {@link Progress} as a console progress bar (one bar per stage) on a stream, normally standard error. */
final class ConsoleProgress implements Progress, AutoCloseable {

    private final PrintStream out;
    private ProgressBar bar;

    ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void stage(String name, long total) {
        close();
        bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(Math.max(1, total))
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(out)).build();
    }

    @Override
    public void advance(long amount) {
        if (bar != null) {
            bar.stepBy(amount);
        }
    }

    @Override
    public void detail(String text) {
        if (bar != null) {
            bar.setExtraMessage(text);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.stepTo(bar.getMax());
            bar.close();
            bar = null;
        }
    }
}
