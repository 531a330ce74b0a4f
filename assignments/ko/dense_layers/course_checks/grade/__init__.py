"""`autograder grade`: grade submissions with the hidden tests, student code kept out of this process."""
