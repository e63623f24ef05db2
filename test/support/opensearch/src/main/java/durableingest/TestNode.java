package durableingest;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single-node OpenSearch with its plugins on the classpath (no distribution, no plugin folders): Node's classpath
 * constructor is what OpenSearch's own test framework uses. Prints "listening on <port>" once HTTP is up, and stops
 * when its standard input closes, so a test that dies takes the node with it.
 * Arguments: the data folder, the HTTP port (0: any free one).
 */
public final class TestNode {
  private static final Collection<Class<? extends Plugin>> PLUGINS =
      List.of(Netty4Plugin.class, ReindexPlugin.class, PainlessPlugin.class);

  private static final class ClasspathNode extends Node {
    ClasspathNode(Settings settings, Path home) {
      super(InternalSettingsPreparer.prepareEnvironment(settings, java.util.Map.of(), home.resolve("config"), () -> "test-node"),
          PLUGINS, true);
    }
  }

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]).toAbsolutePath();
    Settings settings = Settings.builder()
        .put("path.home", home.toString())
        .put("path.data", home.resolve("data").toString())
        .put("cluster.name", "durable-ingest-test")
        .put("node.name", "test-node")
        .put("discovery.type", "single-node")
        .put("network.host", "127.0.0.1")
        .put("http.port", args.length > 1 ? args[1] : "0")
        .put("transport.port", "0")
        .put("http.type", "netty4")
        .put("transport.type", "netty4")
        // The tests' disks are shared and may be nearly full: no watermark may turn the index read-only.
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .build();
    Node node = new ClasspathNode(settings, home).start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception ignored) {
        // exiting anyway
      }
    }));
    var http = node.injector().getInstance(org.opensearch.http.HttpServerTransport.class);
    System.out.println("listening on " + http.boundAddress().publishAddress().getPort());
    System.out.flush();
    while (System.in.read() != -1) {
      // wait for the parent to close standard input
    }
    System.exit(0);
  }
}
