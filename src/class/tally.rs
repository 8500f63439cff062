//! A class poll's answers, counted as they come.

use std::collections::BTreeMap;

use super::protocol::Summary;

/// What kind of answer a poll takes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// One of `n` options.
    Pick(usize),
    /// All `n` options, in an order.
    Order(usize),
}

impl Form {
    /// Is `answer` an answer of this form? (One option in range; or each option once.)
    pub fn fits(self, answer: &[u8]) -> bool {
        match self {
            Form::Pick(n) => answer.len() == 1 && (answer[0] as usize) < n,
            Form::Order(n) => {
                let mut seen = vec![false; n];
                answer.len() == n
                    && answer
                        .iter()
                        .all(|&i| (i as usize) < n && !std::mem::replace(&mut seen[i as usize], true))
            }
        }
    }
}

/// The answers to one poll, by follower; the first answer of each counts.
#[derive(Clone, Debug)]
pub struct Tally {
    pub form: Form,
    pub right: Vec<u8>,
    answers: BTreeMap<u64, Vec<u8>>,
}

impl Tally {
    pub fn new(form: Form, right: Vec<u8>) -> Tally {
        Tally { form, right, answers: BTreeMap::new() }
    }

    /// Counts a follower's answer; false if it does not fit the poll or the follower had
    /// answered already.
    pub fn add(&mut self, follower: u64, answer: Vec<u8>) -> bool {
        if !self.form.fits(&answer) || self.answers.contains_key(&follower) {
            return false;
        }
        self.answers.insert(follower, answer);
        true
    }

    pub fn summary(&self, followers: usize) -> Summary {
        let mut counts: Vec<(Vec<u8>, usize)> = match self.form {
            Form::Pick(n) => (0..n as u8).map(|i| (vec![i], 0)).collect(),
            Form::Order(_) => Vec::new(),
        };
        for answer in self.answers.values() {
            match counts.iter_mut().find(|(given, _)| given == answer) {
                Some((_, count)) => *count += 1,
                None => counts.push((answer.clone(), 1)),
            }
        }
        if let Form::Order(_) = self.form {
            // The most given first; ties in the order of the answers themselves.
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        Summary {
            followers,
            answered: self.answers.len(),
            correct: self.answers.values().filter(|a| **a == self.right).count(),
            counts,
            right: self.right.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_counts_each_followers_first_fitting_answer() {
        let mut pick = Tally::new(Form::Pick(3), vec![1]);
        assert!(pick.add(1, vec![1]));
        assert!(pick.add(2, vec![0]));
        assert!(!pick.add(2, vec![1]), "only the first answer counts");
        assert!(!pick.add(3, vec![3]), "no option 4");
        assert!(!pick.add(3, vec![0, 1]), "one option");
        assert!(pick.add(3, vec![1]));
        let summary = pick.summary(5);
        assert_eq!((summary.followers, summary.answered, summary.correct), (5, 3, 2));
        assert_eq!(summary.counts, [(vec![0], 1), (vec![1], 2), (vec![2], 0)]);

        let mut order = Tally::new(Form::Order(3), vec![2, 0, 1]);
        assert!(!order.add(1, vec![2, 2, 1]), "each option once");
        assert!(!order.add(1, vec![2, 0]), "all of them");
        assert!(order.add(1, vec![0, 1, 2]));
        assert!(order.add(2, vec![2, 0, 1]));
        assert!(order.add(3, vec![2, 0, 1]));
        let summary = order.summary(3);
        assert_eq!(summary.correct, 2);
        assert_eq!(summary.counts, [(vec![2, 0, 1], 2), (vec![0, 1, 2], 1)]);
    }
}
