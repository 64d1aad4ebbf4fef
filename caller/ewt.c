/*
 * ewt — the estimated wait printed on tickets and shown on boards.
 *
 * Method: ahead × mean service time ÷ counters open for the service, rounded
 * up to whole seconds. The counters a service shares with others are counted
 * whole, which errs short when many services share few counters; the mean
 * moves with the day's real pace, which matters more (docs/engine.md).
 */
#include "ewt.h"

#include <math.h>

double jh_ewt_service_mean(double recent_mean, int n_recent, int target_service_s)
{
    if (n_recent > 0 && recent_mean > 0)
        return recent_mean;
    return target_service_s > 0 ? target_service_s : 1;
}

int jh_ewt_seconds(int ahead, double mean_service_s, int open_counters)
{
    if (ahead <= 0)
        return 0;
    int n = open_counters > 0 ? open_counters : 1;
    double s = ceil((double)ahead * mean_service_s / n);
    return s > 1e9 ? 1000000000 : (int)s;
}
