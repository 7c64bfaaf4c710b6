package io.dmlp.gateway;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The gateway's log lines (message and parameters) while it is open, at every level the logger lets through. */
public final class CapturedLog implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getLevel() + " " + record.getMessage() + " " + Arrays.toString(record.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLog() {
        Logger.getLogger("").addHandler(handler);
    }

    public static CapturedLog start() {
        return new CapturedLog();
    }

    public List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
