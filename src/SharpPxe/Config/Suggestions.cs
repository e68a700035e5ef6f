namespace SharpPxe.Config;

/// <summary>"Did you mean" for misspelt keys, flags and words: the nearest candidate by edit distance.</summary>
public static class Suggestions
{
    /// <summary>Returns the candidate nearest to <paramref name="input"/>, or null when none is near enough.</summary>
    public static string? Nearest(string input, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(candidates);

        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = Distance(input.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // Near means at most a third of the word changed, and at least one edit is always allowed.
        int allowed = Math.Max(1, input.Length / 3);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>" (did you mean X?)" or the empty string.</summary>
    public static string Hint(string input, IEnumerable<string> candidates)
    {
        string? nearest = Nearest(input, candidates);
        return nearest is null ? string.Empty : $" (did you mean {nearest}?)";
    }

    /// <summary>Levenshtein distance with adjacent transpositions counted as one edit.</summary>
    internal static int Distance(string a, string b)
    {
        int[,] d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int best = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, d[i - 2, j - 2] + 1);
                }

                d[i, j] = best;
            }
        }

        return d[a.Length, b.Length];
    }
}
