package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetFormat;
import dev.onerec4j.engine.train.RunDirectory;
import dev.onerec4j.engine.train.RunInfo;

import java.nio.file.Path;

/** The data set of a command that reads a run: the given --data/--format, else the ones the run was trained on. */
record RunData(Path data, String format) {

    static RunData resolve(Path run, Path data, String format) {
        if (data != null && format != null) {
            return new RunData(data, format);
        }
        RunInfo info = RunInfo.load(RunDirectory.open(run));
        if (info.dataPath() == null || info.dataPath().isEmpty()) {
            throw new UserException("run " + run + " does not record its data set: pass --data and --format");
        }
        return new RunData(data != null ? data : Path.of(info.dataPath()), format != null ? format : info.format());
    }

    Dataset read() {
        return DatasetFormat.parse(format).read(data);
    }
}
