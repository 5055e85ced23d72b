package cn.onenet.identity.oidc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Runs calls released at the same moment, as requests reaching one or several replicas together. */
public final class Together {

    private Together() {
    }

    /** Runs call 0 to n-1 together; each answers what it returned, or the exception it threw. */
    public static List<String> run(int n, IntFunction<String> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CyclicBarrier barrier = new CyclicBarrier(n);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                results.add(pool.submit(() -> {
                    barrier.await();
                    try {
                        return call.apply(k);
                    } catch (RuntimeException e) {
                        return "EXCEPTION " + e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                }));
            }
            List<String> answers = new ArrayList<>();
            for (Future<String> f : results) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdown();
        }
    }
}
