// A one-shot HTTPS client on SunJSSE for edgefetch's interop tests. OpenJDK 17
// writes the SSLv3 RSA ClientKeyExchange with a TLS-style u16 length prefix
// when its ClientHello offered TLS and the server chose SSLv3 (RFC 6101 has no
// prefix): the tests use it to show which servers refuse that form.
//
// Usage: java -cp CLASSES JsseClient PORT PROTOCOLS SUITE
// PROTOCOLS and SUITE are JSSE names (PROTOCOLS comma-separated). Connects to
// 127.0.0.1:PORT without checking the certificate (the tests check the
// server's pin, not its identity), sends one GET and prints
// "HANDSHAKE OK <protocol> <suite>" and the response, or
// "HANDSHAKE FAILED <exception>"; exits 0 or 1 accordingly.

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

public final class JsseClient {
  private static final int TIMEOUT_MS = 10_000;
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private JsseClient() {}

  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: JsseClient PORT PROTOCOLS SUITE");
    }
    Security.setProperty("jdk.tls.disabledAlgorithms", "");
    Security.setProperty("jdk.certpath.disabledAlgorithms", "");
    Security.setProperty("jdk.tls.legacyAlgorithms", "");
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustEverything()}, null);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", Integer.parseInt(args[0]))) {
      socket.setSoTimeout(TIMEOUT_MS);
      socket.setEnabledProtocols(args[1].split(","));
      socket.setEnabledCipherSuites(new String[] {args[2]});
      socket.startHandshake();
      System.out.println("HANDSHAKE OK " + socket.getSession().getProtocol() + " "
          + socket.getSession().getCipherSuite());
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.0\r\nHost: origin.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      int n;
      while (response.size() < MAX_RESPONSE_BYTES && (n = in.read(buffer)) > 0) {
        response.write(buffer, 0, n);
      }
      System.out.print(response.toString(StandardCharsets.US_ASCII));
    } catch (Exception e) {
      System.out.println("HANDSHAKE FAILED " + e);
      System.exit(1);
    }
  }
}
