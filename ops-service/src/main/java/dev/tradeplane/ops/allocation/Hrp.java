package dev.tradeplane.ops.allocation;

import java.util.ArrayList;
import java.util.List;

/**
 * Hierarchical risk parity (López de Prado, 2016): cluster the series by correlation distance (single linkage), order
 * them so similar ones sit together, then split the weight top-down between the two halves of each cluster in
 * inverse proportion to their variance. Needs no matrix inversion, so it stays stable with few, correlated series.
 */
final class Hrp {

    private Hrp() {}

    /** Weights (summing to 1) for series of equal length. */
    static double[] weights(double[][] returns) {
        int n = returns.length;
        if (n == 1) {
            return new double[] {1};
        }
        double[][] cov = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cov[i][j] = Stats.covariance(returns[i], returns[j]);
            }
        }
        double[][] dist = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double denom = Math.sqrt(cov[i][i] * cov[j][j]);
                double rho = denom == 0 ? (i == j ? 1 : 0) : Math.max(-1, Math.min(1, cov[i][j] / denom));
                dist[i][j] = Math.sqrt((1 - rho) / 2);
            }
        }
        List<Integer> order = quasiDiagonal(dist);
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1);
        bisect(order, cov, w);
        return w;
    }

    /** Leaves in the order single-linkage clustering merges them. */
    static List<Integer> quasiDiagonal(double[][] dist) {
        int n = dist.length;
        List<List<Integer>> clusters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clusters.add(new ArrayList<>(List.of(i)));
        }
        while (clusters.size() > 1) {
            int bestA = 0;
            int bestB = 1;
            double best = Double.MAX_VALUE;
            for (int a = 0; a < clusters.size(); a++) {
                for (int b = a + 1; b < clusters.size(); b++) {
                    double d = linkage(clusters.get(a), clusters.get(b), dist);
                    if (d < best) {
                        best = d;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            List<Integer> merged = new ArrayList<>(clusters.get(bestA));
            merged.addAll(clusters.get(bestB));
            clusters.remove(bestB);
            clusters.set(bestA, merged);
        }
        return clusters.get(0);
    }

    private static double linkage(List<Integer> a, List<Integer> b, double[][] dist) {
        double min = Double.MAX_VALUE;
        for (int i : a) {
            for (int j : b) {
                min = Math.min(min, dist[i][j]);
            }
        }
        return min;
    }

    private static void bisect(List<Integer> items, double[][] cov, double[] w) {
        if (items.size() < 2) {
            return;
        }
        List<Integer> left = items.subList(0, items.size() / 2);
        List<Integer> right = items.subList(items.size() / 2, items.size());
        double vl = clusterVariance(left, cov);
        double vr = clusterVariance(right, cov);
        double alpha = vl + vr == 0 ? 0.5 : 1 - vl / (vl + vr);
        for (int i : left) {
            w[i] *= alpha;
        }
        for (int i : right) {
            w[i] *= 1 - alpha;
        }
        bisect(left, cov, w);
        bisect(right, cov, w);
    }

    /** The variance of the cluster's inverse-variance portfolio. */
    private static double clusterVariance(List<Integer> items, double[][] cov) {
        double[] ivp = new double[items.size()];
        double sum = 0;
        for (int k = 0; k < items.size(); k++) {
            double v = cov[items.get(k)][items.get(k)];
            ivp[k] = v == 0 ? 0 : 1 / v;
            sum += ivp[k];
        }
        if (sum == 0) {
            return 0;
        }
        double var = 0;
        for (int a = 0; a < items.size(); a++) {
            for (int b = 0; b < items.size(); b++) {
                var += ivp[a] / sum * ivp[b] / sum * cov[items.get(a)][items.get(b)];
            }
        }
        return var;
    }
}
