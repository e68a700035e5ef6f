using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SharpPxe.Diagnostics;

/// <summary>
/// Sends log lines to a remote syslog server over UDP in the BSD format (RFC 3164), facility user, as PyPXE's
/// --syslog does. One datagram per event; a send that fails is counted and otherwise ignored, so logging can
/// never stop the server.
/// </summary>
public sealed class SyslogLoggerProvider : ILoggerProvider
{
    /// <summary>RFC 3164 §4.1.1: facility 1 is user-level messages.</summary>
    private const int FacilityUser = 1;

    /// <summary>RFC 3164 §4.1: a packet is at most 1024 bytes.</summary>
    private const int MaxPacketBytes = 1024;

    private readonly ConcurrentDictionary<string, SyslogLogger> _loggers = new(StringComparer.Ordinal);
    private readonly Socket _socket;
    private readonly IPEndPoint _target;
    private readonly string _hostName;
    private readonly int _processId;
    private long _failedSends;

    public SyslogLoggerProvider(IPEndPoint target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _hostName = Dns.GetHostName();
        _processId = Environment.ProcessId;
    }

    /// <summary>Datagrams that could not be sent.</summary>
    public long FailedSends => Interlocked.Read(ref _failedSends);

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, name => new SyslogLogger(this, name));

    public void Dispose() => _socket.Dispose();

    /// <summary>RFC 3164 §4.1.1 severities.</summary>
    internal static int Severity(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };

    internal void Send(LogLevel level, string category, string message)
    {
        int priority = (FacilityUser * 8) + Severity(level);
        string timestamp = DateTime.Now.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture);
        if (timestamp[4] == '0')
        {
            // RFC 3164 §4.1.2: a day below 10 is padded with a space, not a zero.
            timestamp = string.Concat(timestamp.AsSpan(0, 4), " ", timestamp.AsSpan(5));
        }

        string line = $"<{priority}>{timestamp} {_hostName} sharppxe[{_processId}]: {category}: {message}";
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        try
        {
            _socket.SendTo(bytes.AsSpan(0, Math.Min(bytes.Length, MaxPacketBytes)), SocketFlags.None, _target);
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _failedSends);
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Increment(ref _failedSends);
        }
    }

    private sealed class SyslogLogger(SyslogLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string message = formatter(state, exception);
            if (exception is not null)
            {
                message += " " + exception.GetType().Name + ": " + exception.Message;
            }

            provider.Send(logLevel, category, message.ReplaceLineEndings(" "));
        }
    }
}
