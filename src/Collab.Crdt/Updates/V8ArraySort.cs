namespace Collab.Crdt;

/// <summary>
/// The order in which V8's <c>Array.prototype.sort</c> (TimSort: runs, binary insertion sort, merges with
/// galloping) calls its comparator, reproduced step by step. yjs' <c>mergeUpdates</c> sorts with a
/// comparator that is inconsistent for structs of different kinds at the same client and clock, so the
/// result of such a sort is whatever V8's sequence of comparisons makes it; matching yjs byte for byte
/// needs the same sequence. For a consistent comparator this is simply a stable sort.
/// </summary>
internal sealed class V8ArraySort<T>
{
    private const int MinGallopWins = 7;

    private readonly List<T> _a;
    private readonly Comparison<T> _compare;
    private readonly List<(int Base, int Length)> _runs = [];
    private int _minGallop = MinGallopWins;

    private V8ArraySort(List<T> a, Comparison<T> compare)
    {
        _a = a;
        _compare = compare;
    }

    public static void Sort(List<T> a, Comparison<T> compare)
    {
        if (a.Count < 2)
        {
            return;
        }

        new V8ArraySort<T>(a, compare).Run();
    }

    private void Run()
    {
        int low = 0;
        int remaining = _a.Count;
        int minRun = ComputeMinRunLength(remaining);
        while (remaining != 0)
        {
            int runLength = CountAndMakeRun(low, low + remaining);
            if (runLength < minRun)
            {
                int forced = Math.Min(minRun, remaining);
                BinaryInsertionSort(low, low + runLength, low + forced);
                runLength = forced;
            }

            _runs.Add((low, runLength));
            MergeCollapse();
            low += runLength;
            remaining -= runLength;
        }

        MergeForceCollapse();
    }

    private static int ComputeMinRunLength(int n)
    {
        int r = 0;
        while (n >= 64)
        {
            r |= n & 1;
            n >>= 1;
        }

        return n + r;
    }

    private int CountAndMakeRun(int lowArg, int high)
    {
        int low = lowArg + 1;
        if (low == high)
        {
            return 1;
        }

        int runLength = 2;
        var previous = _a[low];
        bool descending = _compare(previous, _a[low - 1]) < 0;
        for (int idx = low + 1; idx < high; idx++)
        {
            var current = _a[idx];
            int order = _compare(current, previous);
            if (descending ? order >= 0 : order < 0)
            {
                break;
            }

            previous = current;
            runLength++;
        }

        if (descending)
        {
            _a.Reverse(lowArg, runLength);
        }

        return runLength;
    }

    private void BinaryInsertionSort(int low, int startArg, int high)
    {
        int start = low == startArg ? startArg + 1 : startArg;
        for (; start < high; start++)
        {
            int left = low;
            int right = start;
            var pivot = _a[start];
            while (left < right)
            {
                int mid = left + ((right - left) >> 1);
                if (_compare(pivot, _a[mid]) < 0)
                {
                    right = mid;
                }
                else
                {
                    left = mid + 1;
                }
            }

            for (int p = start; p > left; p--)
            {
                _a[p] = _a[p - 1];
            }

            _a[left] = pivot;
        }
    }

    private void MergeCollapse()
    {
        while (_runs.Count > 1)
        {
            int n = _runs.Count - 2;
            if ((n > 0 && _runs[n - 1].Length <= _runs[n].Length + _runs[n + 1].Length)
                || (n > 1 && _runs[n - 2].Length <= _runs[n - 1].Length + _runs[n].Length))
            {
                if (_runs[n - 1].Length < _runs[n + 1].Length)
                {
                    n--;
                }

                MergeAt(n);
            }
            else if (_runs[n].Length <= _runs[n + 1].Length)
            {
                MergeAt(n);
            }
            else
            {
                break;
            }
        }
    }

    private void MergeForceCollapse()
    {
        while (_runs.Count > 1)
        {
            int n = _runs.Count - 2;
            if (n > 0 && _runs[n - 1].Length < _runs[n + 1].Length)
            {
                n--;
            }

            MergeAt(n);
        }
    }

    private void MergeAt(int i)
    {
        var (baseA, lengthA) = _runs[i];
        var (baseB, lengthB) = _runs[i + 1];
        _runs[i] = (baseA, lengthA + lengthB);
        _runs.RemoveAt(i + 1);

        // where does b start in a? elements of a before that are already in place
        int k = GallopRight(_a, _a[baseB], baseA, lengthA, 0);
        baseA += k;
        lengthA -= k;
        if (lengthA == 0)
        {
            return;
        }

        // where does a end in b? elements of b after that are already in place
        lengthB = GallopLeft(_a, _a[baseA + lengthA - 1], baseB, lengthB, lengthB - 1);
        if (lengthB == 0)
        {
            return;
        }

        if (lengthA <= lengthB)
        {
            MergeLow(baseA, lengthA, baseB, lengthB);
        }
        else
        {
            MergeHigh(baseA, lengthA, baseB, lengthB);
        }
    }

    // The leftmost position in array[base, base+length) where key belongs (before equal elements).
    private int GallopLeft(List<T> array, T key, int @base, int length, int hint)
    {
        int lastOfs = 0;
        int offset = 1;
        if (_compare(array[@base + hint], key) < 0)
        {
            // a[hint] < key: gallop right
            int maxOfs = length - hint;
            while (offset < maxOfs)
            {
                if (_compare(array[@base + hint + offset], key) >= 0)
                {
                    break;
                }

                lastOfs = offset;
                offset = (offset << 1) + 1;
                if (offset <= 0)
                {
                    offset = maxOfs;
                }
            }

            if (offset > maxOfs)
            {
                offset = maxOfs;
            }

            lastOfs += hint;
            offset += hint;
        }
        else
        {
            // key <= a[hint]: gallop left
            int maxOfs = hint + 1;
            while (offset < maxOfs)
            {
                if (_compare(array[@base + hint - offset], key) < 0)
                {
                    break;
                }

                lastOfs = offset;
                offset = (offset << 1) + 1;
                if (offset <= 0)
                {
                    offset = maxOfs;
                }
            }

            if (offset > maxOfs)
            {
                offset = maxOfs;
            }

            int tmp = lastOfs;
            lastOfs = hint - offset;
            offset = hint - tmp;
        }

        lastOfs++;
        while (lastOfs < offset)
        {
            int m = lastOfs + ((offset - lastOfs) >> 1);
            if (_compare(array[@base + m], key) < 0)
            {
                lastOfs = m + 1;
            }
            else
            {
                offset = m;
            }
        }

        return offset;
    }

    // The rightmost position in array[base, base+length) where key belongs (after equal elements).
    private int GallopRight(List<T> array, T key, int @base, int length, int hint)
    {
        int lastOfs = 0;
        int offset = 1;
        if (_compare(key, array[@base + hint]) < 0)
        {
            // key < a[hint]: gallop left
            int maxOfs = hint + 1;
            while (offset < maxOfs)
            {
                if (_compare(key, array[@base + hint - offset]) >= 0)
                {
                    break;
                }

                lastOfs = offset;
                offset = (offset << 1) + 1;
                if (offset <= 0)
                {
                    offset = maxOfs;
                }
            }

            if (offset > maxOfs)
            {
                offset = maxOfs;
            }

            int tmp = lastOfs;
            lastOfs = hint - offset;
            offset = hint - tmp;
        }
        else
        {
            // a[hint] <= key: gallop right
            int maxOfs = length - hint;
            while (offset < maxOfs)
            {
                if (_compare(key, array[@base + hint + offset]) < 0)
                {
                    break;
                }

                lastOfs = offset;
                offset = (offset << 1) + 1;
                if (offset <= 0)
                {
                    offset = maxOfs;
                }
            }

            if (offset > maxOfs)
            {
                offset = maxOfs;
            }

            lastOfs += hint;
            offset += hint;
        }

        lastOfs++;
        while (lastOfs < offset)
        {
            int m = lastOfs + ((offset - lastOfs) >> 1);
            if (_compare(key, array[@base + m]) < 0)
            {
                offset = m;
            }
            else
            {
                lastOfs = m + 1;
            }
        }

        return offset;
    }

    private void MergeLow(int baseA, int lengthA, int baseB, int lengthB)
    {
        var temp = _a.GetRange(baseA, lengthA);
        int dest = baseA;
        int cursorTemp = 0;
        int cursorB = baseB;

        _a[dest++] = _a[cursorB++];
        bool copyB = false;
        if (--lengthB == 0)
        {
            goto Succeed;
        }

        if (lengthA == 1)
        {
            copyB = true;
            goto Succeed;
        }

        int minGallop = _minGallop;
        while (true)
        {
            int winsA = 0;
            int winsB = 0;
            while (true)
            {
                if (_compare(_a[cursorB], temp[cursorTemp]) < 0)
                {
                    _a[dest++] = _a[cursorB++];
                    winsB++;
                    lengthB--;
                    winsA = 0;
                    if (lengthB == 0)
                    {
                        goto Succeed;
                    }

                    if (winsB >= minGallop)
                    {
                        break;
                    }
                }
                else
                {
                    _a[dest++] = temp[cursorTemp++];
                    winsA++;
                    lengthA--;
                    winsB = 0;
                    if (lengthA == 1)
                    {
                        copyB = true;
                        goto Succeed;
                    }

                    if (winsA >= minGallop)
                    {
                        break;
                    }
                }
            }

            minGallop++;
            bool first = true;
            while (winsA >= MinGallopWins || winsB >= MinGallopWins || first)
            {
                first = false;
                minGallop = Math.Max(1, minGallop - 1);
                _minGallop = minGallop;

                winsA = GallopRight(temp, _a[cursorB], cursorTemp, lengthA, 0);
                if (winsA > 0)
                {
                    for (int i = 0; i < winsA; i++)
                    {
                        _a[dest + i] = temp[cursorTemp + i];
                    }

                    dest += winsA;
                    cursorTemp += winsA;
                    lengthA -= winsA;
                    if (lengthA == 1)
                    {
                        copyB = true;
                        goto Succeed;
                    }

                    if (lengthA == 0)
                    {
                        goto Succeed;
                    }
                }

                _a[dest++] = _a[cursorB++];
                if (--lengthB == 0)
                {
                    goto Succeed;
                }

                winsB = GallopLeft(_a, temp[cursorTemp], cursorB, lengthB, 0);
                if (winsB > 0)
                {
                    for (int i = 0; i < winsB; i++)
                    {
                        _a[dest + i] = _a[cursorB + i];
                    }

                    dest += winsB;
                    cursorB += winsB;
                    lengthB -= winsB;
                    if (lengthB == 0)
                    {
                        goto Succeed;
                    }
                }

                _a[dest++] = temp[cursorTemp++];
                if (--lengthA == 1)
                {
                    copyB = true;
                    goto Succeed;
                }
            }

            minGallop++;
            _minGallop = minGallop;
        }

    Succeed:
        if (copyB)
        {
            // the last element of a belongs at the end
            for (int i = 0; i < lengthB; i++)
            {
                _a[dest + i] = _a[cursorB + i];
            }

            _a[dest + lengthB] = temp[cursorTemp];
        }
        else
        {
            for (int i = 0; i < lengthA; i++)
            {
                _a[dest + i] = temp[cursorTemp + i];
            }
        }
    }

    private void MergeHigh(int baseA, int lengthA, int baseB, int lengthB)
    {
        var temp = _a.GetRange(baseB, lengthB);
        int dest = baseB + lengthB - 1;
        int cursorTemp = lengthB - 1;
        int cursorA = baseA + lengthA - 1;

        _a[dest--] = _a[cursorA--];
        bool copyA = false;
        if (--lengthA == 0)
        {
            goto Succeed;
        }

        if (lengthB == 1)
        {
            copyA = true;
            goto Succeed;
        }

        int minGallop = _minGallop;
        while (true)
        {
            int winsA = 0;
            int winsB = 0;
            while (true)
            {
                if (_compare(temp[cursorTemp], _a[cursorA]) < 0)
                {
                    _a[dest--] = _a[cursorA--];
                    winsA++;
                    lengthA--;
                    winsB = 0;
                    if (lengthA == 0)
                    {
                        goto Succeed;
                    }

                    if (winsA >= minGallop)
                    {
                        break;
                    }
                }
                else
                {
                    _a[dest--] = temp[cursorTemp--];
                    winsB++;
                    lengthB--;
                    winsA = 0;
                    if (lengthB == 1)
                    {
                        copyA = true;
                        goto Succeed;
                    }

                    if (winsB >= minGallop)
                    {
                        break;
                    }
                }
            }

            minGallop++;
            bool first = true;
            while (winsA >= MinGallopWins || winsB >= MinGallopWins || first)
            {
                first = false;
                minGallop = Math.Max(1, minGallop - 1);
                _minGallop = minGallop;

                int k = GallopRight(_a, temp[cursorTemp], baseA, lengthA, lengthA - 1);
                winsA = lengthA - k;
                if (winsA > 0)
                {
                    dest -= winsA;
                    cursorA -= winsA;
                    for (int i = winsA - 1; i >= 0; i--)
                    {
                        _a[dest + 1 + i] = _a[cursorA + 1 + i];
                    }

                    lengthA -= winsA;
                    if (lengthA == 0)
                    {
                        goto Succeed;
                    }
                }

                _a[dest--] = temp[cursorTemp--];
                if (--lengthB == 1)
                {
                    copyA = true;
                    goto Succeed;
                }

                k = GallopLeft(temp, _a[cursorA], 0, lengthB, lengthB - 1);
                winsB = lengthB - k;
                if (winsB > 0)
                {
                    dest -= winsB;
                    cursorTemp -= winsB;
                    for (int i = 0; i < winsB; i++)
                    {
                        _a[dest + 1 + i] = temp[cursorTemp + 1 + i];
                    }

                    lengthB -= winsB;
                    if (lengthB == 1)
                    {
                        copyA = true;
                        goto Succeed;
                    }

                    if (lengthB == 0)
                    {
                        goto Succeed;
                    }
                }

                _a[dest--] = _a[cursorA--];
                if (--lengthA == 0)
                {
                    goto Succeed;
                }
            }

            minGallop++;
            _minGallop = minGallop;
        }

    Succeed:
        if (copyA)
        {
            // the first element of b belongs at the front
            dest -= lengthA;
            cursorA -= lengthA;
            for (int i = lengthA - 1; i >= 0; i--)
            {
                _a[dest + 1 + i] = _a[cursorA + 1 + i];
            }

            _a[dest] = temp[cursorTemp];
        }
        else if (lengthB > 0)
        {
            for (int i = 0; i < lengthB; i++)
            {
                _a[dest - (lengthB - 1) + i] = temp[i];
            }
        }
    }
}
