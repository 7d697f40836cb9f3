package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.align.AlignmentEvaluator;
import dev.onerec4j.engine.align.AlignmentReport;
import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.split.Examples;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.eval.Evaluator;
import dev.onerec4j.engine.eval.Ranker;
import dev.onerec4j.engine.reward.PScoreSelectingRanker;
import dev.onerec4j.engine.reward.PScoreSelector;
import dev.onerec4j.engine.reward.PScorer;
import dev.onerec4j.engine.reward.TrainedReward;
import dev.onerec4j.engine.train.TrainedRun;

import java.nio.file.Path;

/**
 * The eval command's value report: the mean P-Score of each top-k list (with a reward model), and on simulator
 * data its true value (value@k, pass@k) and the over-exposed class's share; optionally with reward-model
 * selection (generate N, keep the k with the highest P-Score).
 */
final class ValueEvaluation {

    private ValueEvaluation() {
    }

    /**
     * @param select candidates generated for P-Score selection (0 = no selection)
     * @param users  test users measured (0 = all)
     */
    static AlignmentReport run(Path runDir, Path rewardDir, Dataset dataset, SyntheticWorld world, String split,
                               boolean keepHistory, int beamWidth, int select, int users) {
        if (select > 0 && rewardDir == null) {
            throw new UserException("--select needs --reward (the reward model that ranks the candidates)");
        }
        try (TrainedRun trained = TrainedRun.open(runDir, dataset);
             TrainedReward rm = rewardDir == null ? null : TrainedReward.open(rewardDir, dataset)) {
            var cfg = trained.info().config().eval;
            int width = Math.max(beamWidth > 0 ? beamWidth : cfg.beamWidth, Math.max(select, cfg.k));
            if (select > 0 && select < cfg.k) {
                throw new UserException("--select " + select + " must be at least the list length " + cfg.k);
            }
            LeaveOneOutSplit loo = LeaveOneOutSplit.of(dataset.histories());
            Examples examples = "valid".equals(split) ? loo.validation() : loo.test();
            PScorer scorer = rm == null ? null : rm.scorer();
            Ranker ranker = trained.ranker(width);
            if (select > 0) {
                ranker = new PScoreSelectingRanker(ranker, new PScoreSelector(scorer), select);
            }
            int watched = world == null ? -1 : world.overExposedClassIn(dataset);
            return new AlignmentEvaluator(ranker, cfg.k, cfg.batchSize, scorer, world, dataset.items(), watched)
                    .evaluate(examples, Evaluator.sample(examples.size(), users, 1), !keepHistory);
        }
    }
}
