import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Readiness probe and topic bootstrap for the local Kafka; run from source (Java 11+ source launch):
 *   java -cp <broker classpath> KafkaAdmin.java <bootstrap> <timeoutMs> [topic...]
 * Exit 0 when a real metadata request (DescribeCluster) answers with at least one broker, after
 * creating the missing topics (broker defaults: num.partitions, replication factor 1).
 */
public class KafkaAdmin {
    public static void main(String[] args) {
        String bootstrap = args[0];
        int timeoutMs = Integer.parseInt(args[1]);
        List<String> topics = List.of(args).subList(2, args.length);

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "dmlp-infra-probe");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);

        int rc = 0;
        Admin admin = Admin.create(props);
        try {
            DescribeClusterResult cluster = admin.describeCluster();
            String clusterId = cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
            int nodes = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
            if (nodes == 0) {
                System.err.println("cluster " + clusterId + " has no live broker yet");
                rc = 1;
            } else {
                Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
                List<NewTopic> missing = new ArrayList<>();
                for (String t : topics) {
                    if (!existing.contains(t)) {
                        missing.add(new NewTopic(t, Optional.empty(), Optional.empty()));
                    }
                }
                for (var e : admin.createTopics(missing).values().entrySet()) {
                    try {
                        e.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                        System.out.println("created topic " + e.getKey());
                    } catch (ExecutionException ex) {
                        if (!(ex.getCause() instanceof TopicExistsException)) {
                            throw ex; // a concurrent creator is fine; anything else is not
                        }
                    }
                }
                System.out.println("cluster " + clusterId + ", " + nodes + " broker(s), "
                        + (existing.size() + missing.size()) + " topic(s)");
            }
        } catch (Exception e) {
            System.err.println("not ready: " + e);
            rc = 1;
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
        System.exit(rc);
    }
}
