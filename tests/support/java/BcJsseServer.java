// JsseServer on BouncyCastle's JSSE provider (BCJSSE, Debian libbctls-java)
// instead of SunJSSE: a second, independent Java TLS implementation for
// edgefetch's interop tests. It serves SSLv3 with RSA key exchange (which
// OpenJDK 17 reads with a TLS length prefix when the client offered TLS),
// 3DES, and ECDHE suites in SSLv3 with any group. BCJSSE has no RC4.
//
// Usage: the arguments of JsseServer; BCJSSE spells suites with the TLS_
// prefix only ("TLS_RSA_WITH_3DES_EDE_CBC_SHA"). Before JsseServer's output it
// prints "PROVIDER <name> <version>", the provider JsseServer's
// SSLContext.getInstance("TLS") will get, so the harness can check that it is
// BCJSSE and not SunJSSE.

import java.security.Provider;
import java.security.Security;
import javax.net.ssl.SSLContext;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

public final class BcJsseServer {
  private BcJsseServer() {}

  public static void main(String[] args) throws Exception {
    // As in JsseServer: the legacy cells are disabled by default, and BCJSSE
    // reads the same security properties. They must be cleared before the
    // providers read them.
    Security.setProperty("jdk.tls.disabledAlgorithms", "");
    Security.setProperty("jdk.certpath.disabledAlgorithms", "");
    Security.setProperty("jdk.tls.legacyAlgorithms", "");
    // KeyManagerFactory.getDefaultAlgorithm(): BCJSSE's, not SunJSSE's SunX509.
    Security.setProperty("ssl.KeyManagerFactory.algorithm", "PKIX");
    // Ahead of SunJSSE, so that every getInstance without a provider name
    // (JsseServer's) resolves to BouncyCastle.
    Security.insertProviderAt(new BouncyCastleProvider(), 1);
    Security.insertProviderAt(new BouncyCastleJsseProvider(), 2);

    Provider provider = SSLContext.getInstance("TLS").getProvider();
    System.out.println("PROVIDER " + provider.getName() + " " + provider.getVersionStr());
    System.out.flush();
    JsseServer.main(args);
  }
}
