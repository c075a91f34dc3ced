using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using OrleansFs.Security;
using OrleansFs.TestSupport;

namespace OrleansFs.Unit.Tests.Security;

/// <summary>What a user gets from <c>deploy/tls/make-test-ca.sh</c> (openssl): files a silo and a client accept as they are.</summary>
public sealed class MakeTestCaScriptTests : IDisposable
{
    private readonly TempDirectory _directory = new("ofs-make-ca");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_script_makes_a_CA_and_certificates_a_silo_accepts_with_the_names_given()
    {
        Run(_directory.Path, "silo1.example", "10.0.0.7");
        string Path(string name) => System.IO.Path.Combine(_directory.Path, name);

        var options = new SecurityOptions { Enabled = true, CertificatePath = Path("server.pem"), KeyPath = Path("server.key"), CaPath = Path("ca.pem") };
        Assert.False(new SecurityOptionsValidator().Validate(null, options).Failed);
        using var source = new CertificateSource(options);
        Assert.Null(source.Problem(source.Current, null, default, "silo1.example"));
        Assert.Null(source.Problem(source.Current, null, default, "10.0.0.7"));
        Assert.Null(source.Problem(source.Current, null, default, "localhost"));
        var client = PemFiles.LoadCertificate(Path("client.pem"), Path("client.key")).Certificate;
        Assert.Null(source.Problem(client, null, default, null));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path("server.key")));
    }

    [Fact]
    public void Running_it_again_keeps_the_CA_and_renews_the_certificates()
    {
        Run(_directory.Path);
        string ca = File.ReadAllText(System.IO.Path.Combine(_directory.Path, "ca.pem"));
        var first = X509Certificate2.CreateFromPemFile(System.IO.Path.Combine(_directory.Path, "server.pem"), System.IO.Path.Combine(_directory.Path, "server.key"));

        Run(_directory.Path);

        Assert.Equal(ca, File.ReadAllText(System.IO.Path.Combine(_directory.Path, "ca.pem")));
        var second = X509Certificate2.CreateFromPemFile(System.IO.Path.Combine(_directory.Path, "server.pem"), System.IO.Path.Combine(_directory.Path, "server.key"));
        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
    }

    private static void Run(string directory, params string[] names)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(System.IO.Path.Combine(OfsBuildOutputs.RepositoryRoot, "deploy", "tls", "make-test-ca.sh"));
        start.ArgumentList.Add(directory);
        foreach (var name in names) start.ArgumentList.Add(name);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "make-test-ca.sh did not finish");
        Assert.True(process.ExitCode == 0, output);
    }
}
