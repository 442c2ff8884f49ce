using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace KimchiNet.Commands;

/// <summary>
/// Runs one cmdlet step on several libvirt hosts at once: each host on a thread of its own, at most
/// <c>throttleLimit</c> at a time, while the pipeline thread carries out everything the steps ask of
/// PowerShell (output, errors, warnings, verbose lines, ShouldProcess). PowerShell allows those only
/// on the pipeline thread, so the steps post them here (<see cref="Post"/>, <see cref="Invoke{T}"/>)
/// and <see cref="Run"/> does them in order. A host that has not finished within the timeout is
/// reported once and left behind: its thread may still be blocked in libvirt, but nothing it asks
/// for afterwards reaches the pipeline, and the other hosts go on.
/// </summary>
internal sealed class HostFanOut
{
    private static readonly AsyncLocal<HostRun?> s_current = new();

    private readonly BlockingCollection<(HostRun Host, Action Action)> _requests = new();

    /// <summary>The host run the calling thread works for, or null on the pipeline thread or outside a fan-out.</summary>
    public static HostRun? Current => s_current.Value;

    /// <summary>
    /// Runs <paramref name="step"/> for each of <paramref name="uris"/> in parallel and returns when
    /// each has finished or timed out. <paramref name="timedOut"/> is called on the pipeline thread for
    /// a host that overran <paramref name="timeout"/>; <paramref name="failed"/> for a host whose step
    /// threw something other than what the step itself reports; <paramref name="progress"/> after each
    /// host, with the count done.
    /// </summary>
    public void Run(
        IReadOnlyList<string?> uris,
        int throttleLimit,
        TimeSpan? timeout,
        Action<string?> step,
        Action<string?> timedOut,
        Action<string?, Exception> failed,
        Action<int> progress)
    {
        var waiting = new Queue<HostRun>(uris.Select(uri => new HostRun(this, uri)));
        var running = new List<HostRun>();
        var done = 0;
        while (waiting.Count > 0 || running.Count > 0)
        {
            while (running.Count < throttleLimit && waiting.Count > 0)
            {
                var host = waiting.Dequeue();
                host.Start(() => Work(host, step));
                running.Add(host);
            }

            if (_requests.TryTake(out var request, TimeSpan.FromMilliseconds(50)))
            {
                Do(request);
            }

            foreach (var host in running.ToArray())
            {
                if (host.IsFinished)
                {
                    // Whatever the host posted before it finished is carried out before it counts as done.
                    DrainRequests();
                    if (host.Failure is { } failure)
                    {
                        failed(host.Uri, failure);
                    }
                }
                else if (timeout is { } limit && host.Elapsed > limit)
                {
                    host.Abandon();
                    timedOut(host.Uri);
                }
                else
                {
                    continue;
                }

                running.Remove(host);
                progress(++done);
            }
        }

        _requests.CompleteAdding();
        foreach (var request in _requests.GetConsumingEnumerable())
        {
            Do(request);
        }
    }

    /// <summary>
    /// Has <paramref name="action"/> done on the pipeline thread: now when called there (or outside a
    /// fan-out), else in turn. A host's request after it timed out, or after the fan-out ended, is dropped.
    /// </summary>
    public static void Post(Action action)
    {
        if (s_current.Value is not { } host)
        {
            action();
            return;
        }

        host.Owner.Enqueue(host, action);
    }

    private void Enqueue(HostRun host, Action action)
    {
        if (!host.IsAbandoned && !_requests.IsAddingCompleted)
        {
            _requests.TryAdd((host, action));
        }
    }

    /// <summary>Has <paramref name="function"/> done on the pipeline thread and waits for its result.</summary>
    /// <exception cref="OperationCanceledException">When the host was abandoned (timed out) before the pipeline thread got to it.</exception>
    public static T Invoke<T>(Func<T> function)
    {
        if (s_current.Value is not { } host)
        {
            return function();
        }

        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                result.SetResult(function());
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        });
        // Time spent waiting for the pipeline thread (a -Confirm prompt a user is reading) is not the host's.
        host.PauseClock();
        try
        {
            while (!result.Task.Wait(TimeSpan.FromMilliseconds(200)))
            {
                if (host.IsAbandoned)
                {
                    throw new OperationCanceledException("The host's time ran out.");
                }
            }
        }
        finally
        {
            host.ResumeClock();
        }

        return result.Task.GetAwaiter().GetResult();
    }

    private static void Do((HostRun Host, Action Action) request)
    {
        if (!request.Host.IsAbandoned)
        {
            request.Action();
        }
    }

    private void DrainRequests()
    {
        // Requests are queued in order, so once a host's thread has ended all it asked for is queued.
        while (_requests.TryTake(out var request))
        {
            Do(request);
        }
    }

    private static void Work(HostRun host, Action<string?> step)
    {
        s_current.Value = host;
        try
        {
            step(host.Uri);
        }
        catch (OperationCanceledException) when (host.IsAbandoned)
        {
            // timed out and already reported
        }
        catch (Exception e)
        {
            host.Failure = e;
        }
    }

    /// <summary>One host's part of a fan-out.</summary>
    internal sealed class HostRun
    {
        private readonly Stopwatch _clock = new();
        private Thread? _thread;
        private volatile bool _abandoned;

        public HostRun(HostFanOut owner, string? uri)
        {
            Owner = owner;
            Uri = uri;
        }

        /// <summary>The fan-out this host is part of: where its requests to PowerShell go.</summary>
        public HostFanOut Owner { get; }

        /// <summary>The host's URI (null for libvirt's default).</summary>
        public string? Uri { get; }

        /// <summary>What the step threw that it did not report itself.</summary>
        public Exception? Failure { get; set; }

        /// <summary>How long the host has been running.</summary>
        public TimeSpan Elapsed => _clock.Elapsed;

        /// <summary>True once the step has returned.</summary>
        public bool IsFinished => _thread is { IsAlive: false };

        /// <summary>True once the host timed out: nothing it asks for reaches the pipeline any more.</summary>
        public bool IsAbandoned => _abandoned;

        public void Start(Action work)
        {
            // A thread of its own, not the thread pool: a libvirt call can block for as long as the
            // host takes to answer, and blocked pool threads would starve the others.
            _thread = new Thread(() => work()) { IsBackground = true, Name = "KimchiNet host" };
            _clock.Start();
            _thread.Start();
        }

        public void Abandon() => _abandoned = true;

        public void PauseClock() => _clock.Stop();

        public void ResumeClock() => _clock.Start();
    }
}
