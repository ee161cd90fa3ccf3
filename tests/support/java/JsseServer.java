// A small HTTPS server on SunJSSE for edgefetch's interop tests: the independent
// peer for SSLv3, RC4-MD5 and 3DES cells that OpenSSL cannot serve.
//
// Usage:
//   java -Djdk.tls.namedGroups=secp256r1 -Djdk.tls.server.SignatureSchemes=rsa_pkcs1_sha256 \
//        -cp CLASSES JsseServer --identity TYPE KEY.pem CHAIN.pem [--identity ...] \
//        --listen PROTOCOLS SUITES [--listener-identity N] [--listen ...]
// PROTOCOLS and SUITES are comma-separated JSSE names. Each --listen opens a
// server socket on 127.0.0.1 with a port chosen by the kernel and prints
// "LISTENING <index> <port>"; "READY" follows once all are open. A listener
// serves every identity (JSSE picks one that fits the suite and the client's
// signature schemes) unless --listener-identity N (0-based, in --identity
// order) pins it to one: TLS 1.3 suites do not name a key type, so that is
// how a TLS 1.3 listener is pinned to a certificate. Each GET is answered
// with a text body naming the negotiated protocol and cipher suite and the
// served certificate's key ("certificate_key=EC 256").

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

public final class JsseServer {
  private static final char[] PASSWORD = "edgefetch".toCharArray();
  private static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static final int SOCKET_TIMEOUT_MS = 15_000;

  private record Identity(String type, Path key, Path chain) {}

  /** identity: index into the identities, or -1 for all of them. */
  private record Listener(String[] protocols, String[] suites, int identity) {}

  public static void main(String[] args) throws Exception {
    // The policy's legacy cells (SSLv3, RC4, 3DES, SHA-1 and MD5 signatures) are
    // all disabled by default; this process exists to serve them. Security
    // properties must be cleared before any JSSE class reads them.
    Security.setProperty("jdk.tls.disabledAlgorithms", "");
    Security.setProperty("jdk.certpath.disabledAlgorithms", "");
    Security.setProperty("jdk.tls.legacyAlgorithms", "");

    List<Identity> identities = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--identity" -> {
          requireArgs(args, i, 3);
          identities.add(new Identity(args[i + 1], Path.of(args[i + 2]), Path.of(args[i + 3])));
          i += 3;
        }
        case "--listen" -> {
          requireArgs(args, i, 2);
          listeners.add(new Listener(args[i + 1].split(","), args[i + 2].split(","), -1));
          i += 2;
        }
        case "--listener-identity" -> {
          requireArgs(args, i, 1);
          if (listeners.isEmpty()) {
            throw new IllegalArgumentException("--listener-identity before any --listen");
          }
          Listener last = listeners.remove(listeners.size() - 1);
          listeners.add(new Listener(last.protocols(), last.suites(), Integer.parseInt(args[i + 1])));
          i += 1;
        }
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (identities.isEmpty() || listeners.isEmpty()) {
      throw new IllegalArgumentException("need at least one --identity and one --listen");
    }

    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < identities.size(); i++) {
      all.add(i);
    }
    SSLContext shared = context(identities, all);

    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    List<Thread> acceptors = new ArrayList<>();
    for (int i = 0; i < listeners.size(); i++) {
      Listener spec = listeners.get(i);
      if (spec.identity() >= identities.size()) {
        throw new IllegalArgumentException("--listener-identity " + spec.identity() + ": only "
            + identities.size() + " identities");
      }
      SSLContext context = spec.identity() < 0 ? shared : context(identities, List.of(spec.identity()));
      SSLServerSocket server =
          (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, loopback);
      server.setEnabledProtocols(spec.protocols());
      server.setEnabledCipherSuites(spec.suites());
      server.setNeedClientAuth(false);
      server.setWantClientAuth(false);
      System.out.println("LISTENING " + i + " " + server.getLocalPort());
      Thread acceptor = new Thread(() -> acceptLoop(server), "acceptor-" + i);
      acceptor.setDaemon(true);
      acceptor.start();
      acceptors.add(acceptor);
    }
    System.out.println("READY");
    System.out.flush();
    for (Thread t : acceptors) {
      t.join();
    }
  }

  private static void requireArgs(String[] args, int at, int count) {
    if (at + count >= args.length) {
      throw new IllegalArgumentException(args[at] + " needs " + count + " values");
    }
  }

  /** An SSLContext whose key manager holds the identities at `indexes`. */
  private static SSLContext context(List<Identity> identities, List<Integer> indexes) throws Exception {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    for (int i : indexes) {
      Identity id = identities.get(i);
      keyStore.setKeyEntry("identity" + i, readKey(id.type(), id.key()), PASSWORD, readChain(id.chain()));
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  /** "RSA 2048", "EC 384", "RSASSA-PSS 2048": the served leaf's key; "none" without one. */
  private static String certificateKey(SSLSession session) {
    Certificate[] local = session.getLocalCertificates();
    if (local == null || local.length == 0) {
      return "none";
    }
    java.security.PublicKey key = local[0].getPublicKey();
    if (key instanceof RSAPublicKey rsa) {
      return key.getAlgorithm() + " " + rsa.getModulus().bitLength();
    }
    if (key instanceof ECPublicKey ec) {
      return key.getAlgorithm() + " " + ec.getParams().getCurve().getField().getFieldSize();
    }
    return key.getAlgorithm();
  }

  private static PrivateKey readKey(String type, Path path) throws Exception {
    String pem = Files.readString(path, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN PRIVATE KEY-----";
    String end = "-----END PRIVATE KEY-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < 0) {
      throw new IllegalArgumentException(path + ": not a PKCS#8 PEM key");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    String algorithm = type.equalsIgnoreCase("ED25519") ? "Ed25519" : type;
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  private static Certificate[] readChain(Path path) throws Exception {
    try (InputStream in = Files.newInputStream(path)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
    }
  }

  private static void acceptLoop(SSLServerSocket server) {
    while (true) {
      try {
        SSLSocket socket = (SSLSocket) server.accept();
        Thread handler = new Thread(() -> serve(socket), "connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        System.err.println("accept failed: " + e);
        return;
      }
    }
  }

  private static void serve(SSLSocket socket) {
    try (socket) {
      socket.setSoTimeout(SOCKET_TIMEOUT_MS);
      socket.startHandshake();
      SSLSession session = socket.getSession();
      readRequestHead(socket.getInputStream());
      String body = "protocol=" + session.getProtocol() + "\ncipher=" + session.getCipherSuite()
          + "\ncertificate_key=" + certificateKey(session) + "\n";
      byte[] bodyBytes = body.getBytes(StandardCharsets.US_ASCII);
      String head = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + bodyBytes.length
          + "\r\nConnection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(bodyBytes);
      out.flush();
    } catch (Exception e) {
      // A failed handshake is often the point of the test: log and carry on.
      System.err.println("connection failed: " + e);
    }
  }

  private static void readRequestHead(InputStream in) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    int matched = 0;
    final byte[] terminator = {'\r', '\n', '\r', '\n'};
    while (matched < terminator.length && seen.size() < MAX_REQUEST_BYTES) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      seen.write(b);
      matched = (b == terminator[matched]) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }
}
