package io.floorgate.gateway.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed server certificate for {@code CN=localhost} with subject alternative names
 * {@code localhost} and {@code 127.0.0.1}, written as {@code cert.pem} and a PKCS#8 {@code key.pem}
 * (the forms the gateway's {@code listeners.tls} reads), plus a client socket factory that trusts it.
 */
public final class SelfSignedCertificate {

    private static final int RSA_BITS = 2048;
    private static final Duration VALIDITY = Duration.ofDays(1);

    private final X509Certificate certificate;
    private final Path certPath;
    private final Path keyPath;

    private SelfSignedCertificate(X509Certificate certificate, Path certPath, Path keyPath) {
        this.certificate = certificate;
        this.certPath = certPath;
        this.keyPath = keyPath;
    }

    /** Generates a key pair and certificate and writes both as PEM into {@code dir}. */
    public static SelfSignedCertificate writeTo(Path dir) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(RSA_BITS);
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=localhost");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate certificate;
        try {
            certificate = new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
        Path certPath = dir.resolve("cert.pem");
        Path keyPath = dir.resolve("key.pem");
        Files.writeString(certPath, pem(certificate));
        Files.writeString(keyPath, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
        return new SelfSignedCertificate(certificate, certPath, keyPath);
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    public Path certPath() {
        return certPath;
    }

    public Path keyPath() {
        return keyPath;
    }

    /** A client socket factory whose only trusted certificate is this one. */
    public SSLSocketFactory trustingSocketFactory() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("gateway", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
