package io.dmlp.dataset.service;

import org.jboss.logging.Logger;

/**
 * Clean-up after a failure or after the point of no return: the caller must see the failure itself (or the
 * completed deletion), so a clean-up that fails is only logged; what it leaves is an orphan no row points at.
 */
final class BestEffort {

    private static final Logger LOG = Logger.getLogger(BestEffort.class);

    private BestEffort() {
    }

    static void run(String what, Runnable cleanUp) {
        try {
            cleanUp.run();
        } catch (RuntimeException e) {
            LOG.warnf("Could not %s (left as an orphan): %s", what, e.toString());
        }
    }
}
