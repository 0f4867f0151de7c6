package dev.tradeplane.ops.allocation;

/**
 * Statistics of return series. These are ratios and dimensionless estimates, not money: they are computed in double
 * and turned into exact shares (6 decimals) in one place, {@link Allocator}.
 */
public final class Stats {

    private Stats() {}

    public static double mean(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        return x.length == 0 ? 0 : sum / x.length;
    }

    /** Sample variance (n - 1). */
    public static double variance(double[] x) {
        if (x.length < 2) {
            return 0;
        }
        double m = mean(x);
        double sum = 0;
        for (double v : x) {
            sum += (v - m) * (v - m);
        }
        return sum / (x.length - 1);
    }

    public static double std(double[] x) {
        return Math.sqrt(variance(x));
    }

    /** Annualized Sharpe ratio of per-period returns (risk-free rate 0); NaN when the series is flat or too short. */
    public static double sharpe(double[] returns, double periodsPerYear) {
        double sd = std(returns);
        return returns.length < 2 || sd == 0 ? Double.NaN : mean(returns) / sd * Math.sqrt(periodsPerYear);
    }

    public static double covariance(double[] a, double[] b) {
        int n = Math.min(a.length, b.length);
        if (n < 2) {
            return 0;
        }
        double ma = mean(tail(a, n));
        double mb = mean(tail(b, n));
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (a[a.length - n + i] - ma) * (b[b.length - n + i] - mb);
        }
        return sum / (n - 1);
    }

    static double[] tail(double[] x, int n) {
        double[] out = new double[n];
        System.arraycopy(x, x.length - n, out, 0, n);
        return out;
    }

    /** Annualized volatility of a price series: the deviation of its log returns. */
    public static double realizedVolatility(double[] prices, double periodsPerYear) {
        if (prices.length < 3) {
            return 0;
        }
        double[] r = new double[prices.length - 1];
        for (int i = 1; i < prices.length; i++) {
            r[i - 1] = Math.log(prices[i] / prices[i - 1]);
        }
        return std(r) * Math.sqrt(periodsPerYear);
    }
}
