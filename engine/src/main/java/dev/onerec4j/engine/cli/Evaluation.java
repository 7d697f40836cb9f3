package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.eval.EvalReport;
import dev.onerec4j.engine.eval.Evaluator;
import dev.onerec4j.engine.eval.GenerativeRanker;
import dev.onerec4j.engine.eval.Ranker;
import dev.onerec4j.engine.eval.RankingMetrics;
import dev.onerec4j.engine.train.AtomicFiles;
import dev.onerec4j.engine.train.RunDirectory;
import dev.onerec4j.engine.train.TrainedRun;

import java.nio.file.Path;

/** Evaluates a trained run on a split of a data set and writes {@code eval-<split>.json} into the run folder. */
final class Evaluation {

    static final int LEGALITY_USERS = 1000;

    private Evaluation() {
    }

    /**
     * @param beamWidth beam width (-1 = the run's configured width)
     */
    static EvalReport run(Path runDir, Dataset dataset, String split, boolean keepHistory, boolean progress,
                          int beamWidth) {
        try (TrainedRun trained = TrainedRun.open(runDir, dataset)) {
            var cfg = trained.info().config().eval;
            int width = beamWidth > 0 ? beamWidth : cfg.beamWidth;
            if (width < cfg.k) {
                throw new UserException("--beam " + width + " is smaller than the list length " + cfg.k);
            }
            LeaveOneOutSplit loo = LeaveOneOutSplit.of(dataset.histories());
            Examples examples = switch (split) {
                case "test" -> loo.test();
                case "valid" -> loo.validation();
                default -> throw new UserException("unknown split '" + split + "'; expected valid or test");
            };
            long t0 = System.nanoTime();
            Ranker ranker = trained.ranker(width);
            RankingMetrics m = new Evaluator(ranker, cfg.k, cfg.batchSize)
                    .evaluate(examples, null, !keepHistory, progress ? "eval " + split : null);
            Double legality = null;
            Integer legalityUsers = null;
            if (ranker instanceof GenerativeRanker g) {
                int[] subset = Evaluator.sample(examples.size(), LEGALITY_USERS, 1);
                legality = Evaluator.legality(g, examples, subset, cfg.k, cfg.batchSize);
                legalityUsers = subset.length;
            }
            String model = trained.oneRec() != null ? "OneRec " + trained.info().config().model.architecture.id()
                    + " (beam " + width + ")" : "SASRec";
            EvalReport report = new EvalReport(model, dataset.name(), split, m.users(), keepHistory ? "kept" : "excluded",
                    cfg.k, m.asMap(), legality, legalityUsers, (System.nanoTime() - t0) / 1e9);
            AtomicFiles.writeString(new RunDirectory(runDir).evalReport(split + (keepHistory ? "-history-kept" : "")),
                    report.toJson());
            return report;
        }
    }
}
